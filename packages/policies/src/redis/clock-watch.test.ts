import { expect, test } from "vitest";
import { ClockWatch } from "./clock-watch.ts";

/** A watch whose Redis is `offsets` ms off this gateway's clock, one look after another. */
function watch(offsets: number[]) {
  const lines: string[] = [];
  let looks = 0;
  const clock = new ClockWatch({
    label: "quota pol_1",
    offset: async () => ({ offsetMs: offsets[looks++] as number, errorMs: 2 }),
    log: (line) => lines.push(line),
  });
  // The look is not awaited by the request; a macrotask later it has answered.
  const check = async (now: number) => {
    clock.check(now);
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { check, lines, looks: () => looks };
}

test("a gateway ahead of Redis's clock says so once, looks again a minute later, and says when it agrees", async () => {
  const { check, lines, looks } = watch([-5_000, -5_200, 40]);
  const now = Date.UTC(2026, 11, 6, 21);
  await check(now);
  await check(now + 59_999);
  expect(looks()).toBe(1);
  expect(lines).toEqual([
    "quota pol_1: this gateway's clock is 5.0 s ahead of Redis's; limits shared through Redis hold only while every gateway's clock agrees (run NTP)",
  ]);
  await check(now + 60_000);
  expect(lines).toHaveLength(1);
  await check(now + 120_000);
  expect(looks()).toBe(3);
  expect(lines.at(-1)).toBe("quota pol_1: this gateway's clock agrees with Redis's again");
});

test("within 100 ms and the round trip's uncertainty it says nothing; behind is named as such", async () => {
  const quiet = watch([-101, 102]);
  await quiet.check(0);
  await quiet.check(60_000);
  expect(quiet.lines).toEqual([]);
  const behind = watch([1_500]);
  await behind.check(0);
  expect(behind.lines).toEqual([expect.stringContaining("clock is 1.5 s behind Redis's")]);
});

test("a look that fails (Redis down) logs nothing: the request's own call reports that", async () => {
  const lines: string[] = [];
  const clock = new ClockWatch({
    label: "quota pol_1",
    offset: () => Promise.reject(new Error("not connected")),
    log: (line) => lines.push(line),
  });
  clock.check(0);
  await new Promise((resolve) => setImmediate(resolve));
  expect(lines).toEqual([]);
});
