import { afterEach, beforeEach, expect, test, vi } from "vitest";
import { type ActiveSettings, TargetHealth } from "./target-health.ts";

const passive = { enabled: true, failures: 3, cooldownMs: 1_000 };
const active: ActiveSettings = {
  enabled: true,
  path: "/",
  intervalMs: 100,
  timeoutMs: 50,
  healthyThreshold: 2,
  unhealthyThreshold: 2,
  expectedStatuses: [200],
};
let changes: string[];
let target: TargetHealth;
beforeEach(() => {
  vi.useFakeTimers();
  changes = [];
  target = new TargetHealth("ups_1", "tgt_1", "http://x", Date.now, (_t, from, to, reason) =>
    changes.push(`${from}>${to}: ${reason}`),
  );
  target.configure(passive, true);
});
afterEach(() => {
  target.dispose();
  vi.useRealTimers();
});

test("consecutive failures trip the breaker; a success in between resets the count", () => {
  target.failed("ECONNREFUSED", false);
  target.failed("ECONNREFUSED", false);
  target.succeeded(5, false);
  target.failed("HTTP 502", false);
  target.failed("HTTP 502", false);
  expect(target.state).toBe("healthy");
  target.failed("HTTP 503", false);
  expect(target.state).toBe("unhealthy");
  expect(target.admits).toBe(false);
  expect(changes).toEqual(["healthy>unhealthy: 3 consecutive failed requests, last: HTTP 503"]);
  expect(target.view()).toMatchObject({ state: "unhealthy", consecutiveFailures: 3, recentFailures: 5 });
});

test("after the cool-down one trial is admitted: success heals, failure trips again", () => {
  for (let i = 0; i < 3; i++) target.failed("x", false);
  vi.advanceTimersByTime(999);
  expect(target.state).toBe("unhealthy");
  vi.advanceTimersByTime(1);
  expect(target.state).toBe("half-open");
  expect(target.admits).toBe(true);

  expect(target.admit()).toBe(true);
  expect(target.admits).toBe(false); // one trial at a time
  target.failed("ECONNRESET", true);
  target.release(false);
  expect(target.state).toBe("unhealthy");

  vi.advanceTimersByTime(1_000);
  expect(target.admit()).toBe(true);
  target.release(true); // the client went away: no verdict, the slot is free again
  expect(target.state).toBe("half-open");
  expect(target.admits).toBe(true);

  expect(target.admit()).toBe(true);
  target.succeeded(3, true);
  target.release(false);
  expect(target.state).toBe("healthy");
  expect(target.inflight).toBe(0);
  expect(changes.map((change) => change.split(":")[0])).toEqual([
    "healthy>unhealthy",
    "unhealthy>half-open",
    "half-open>unhealthy",
    "unhealthy>half-open",
    "half-open>healthy",
  ]);
});

test("active probes take a target out and bring it back by their thresholds", () => {
  target.probed(false, "HTTP 500", active);
  expect(target.state).toBe("healthy");
  target.probed(false, "HTTP 500", active);
  expect(target.state).toBe("unhealthy");
  vi.advanceTimersByTime(10_000); // taken out by probes: no cool-down, only probes bring it back
  expect(target.state).toBe("unhealthy");
  target.probed(true, "HTTP 200", active);
  target.probed(true, "HTTP 200", active);
  expect(target.state).toBe("healthy");
});

test("disabled in config, then enabled again", () => {
  target.configure(passive, false);
  expect(target.state).toBe("disabled");
  expect(target.admits).toBe(false);
  target.configure(passive, true);
  expect(target.state).toBe("healthy");
});

test("with passive checks off, failures are counted but never trip", () => {
  target.configure({ ...passive, enabled: false }, true);
  for (let i = 0; i < 10; i++) target.failed("x", false);
  expect(target.state).toBe("healthy");
  expect(target.failuresTotal).toBe(10);
});
