import { afterEach, beforeEach, expect, test } from "vitest";
import { type AdminApiHarness, startAdminApi } from "../test-support/admin-api-harness.ts";
import { GONE_AFTER_MS, NodeRegistry } from "./node-registry.ts";

let h: AdminApiHarness;
beforeEach(() => {
  h = startAdminApi();
});
afterEach(() => h.close());

const node = { id: "node-a", name: "eu-1", address: "http://10.0.0.5:8080", version: "0.0.0" };

test("a node is live at the current revision or the one before, behind past that, gone once quiet for long", () => {
  const registry = new NodeRegistry(h.db);
  registry.connected(node, "ntk_1");
  expect(registry.list(10)[0]).toMatchObject({ status: "behind", revision: null, connected: true });
  registry.acked(node, "ntk_1", 9);
  expect(registry.list(10)[0]?.status).toBe("live");
  expect(registry.list(11)[0]?.status).toBe("behind");
  // Its stream still open but nothing heard (a host gone without closing it): gone all the same.
  expect(registry.list(10, Date.now() + GONE_AFTER_MS + 1_000)[0]).toMatchObject({ status: "gone", connected: true });

  // Its stream closed: it is seen until then, and gone once nothing was heard for GONE_AFTER_MS.
  registry.disconnected(node, "ntk_1");
  const seen = Date.parse(registry.list(9)[0]?.lastSeenAt as string);
  expect(registry.list(9, seen + GONE_AFTER_MS - 1)[0]).toMatchObject({ status: "live", connected: false });
  expect(registry.list(9, seen + GONE_AFTER_MS + 1_000)[0]?.status).toBe("gone");
  // A gone node is gone whatever revision it served.
  expect(registry.list(50, seen + GONE_AFTER_MS + 1_000)[0]?.status).toBe("gone");
});

test("traffic reports give the request rate, fresh for a few seconds, and keep the dropped count", () => {
  const registry = new NodeRegistry(h.db);
  registry.connected(node, "ntk_1");
  registry.heard(node, "ntk_1", 120, 7);
  expect(registry.list(0)[0]).toMatchObject({ requestsPerSecond: 120, droppedRequests: 7 });
  expect(registry.list(0, Date.now() + 10_000)[0]?.requestsPerSecond).toBe(0);
  // A console restarted: the row keeps what was written, the rate starts over.
  expect(new NodeRegistry(h.db).list(0)[0]).toMatchObject({
    requestsPerSecond: 0,
    droppedRequests: 7,
    connected: false,
  });
});
