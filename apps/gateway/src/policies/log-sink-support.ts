import type { AdminApiHarness } from "@gatehouse/admin-api/test-support";
import { expect } from "vitest";

/** An API on `upstreamUrl` under `/<name>` with these policies; the ids of the API, its route and each policy. */
export async function makeApi(
  admin: AdminApiHarness,
  upstreamUrl: string,
  name: string,
  policies: Array<{ type: string; config?: Record<string, unknown> }>,
) {
  const api = await admin.call("POST", "/apis", {
    name,
    upstream: { targets: [{ url: upstreamUrl }] },
    routes: [{ paths: [`/${name}`] }],
  });
  expect(api.status, JSON.stringify(api.json)).toBe(201);
  const policyIds: string[] = [];
  for (const policy of policies) {
    const created = await admin.call("POST", "/policies", { ...policy, apiId: api.json.id });
    expect(created.status, JSON.stringify(created.json)).toBe(201);
    policyIds.push(created.json.id);
  }
  return { apiId: api.json.id as string, routeId: api.json.routes[0].id as string, policyIds };
}

/** gatehouse_log_entries_dropped_total of one policy by outcome, from the status port. */
export async function droppedCounts(statusUrl: string, policyId: string): Promise<Record<string, number>> {
  const text = await (await fetch(`${statusUrl}/metrics`)).text();
  const counts: Record<string, number> = {};
  for (const m of text.matchAll(/^gatehouse_log_entries_dropped_total\{policy="([^"]+)",outcome="(\w+)"\} (\d+)$/gm)) {
    if (m[1] === policyId) counts[m[2] as string] = Number(m[3]);
  }
  return counts;
}

export async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
