import { type AdminApiHarness, startAdminApi } from "@gatehouse/admin-api/test-support";
import { currentRevision } from "@gatehouse/db";
import type { AccessLogEntry } from "@gatehouse/policies";
import { afterAll, beforeAll, expect, test } from "vitest";
import { makeApi, until } from "../policies/log-sink-support.ts";
import { closeServer, type GatewayProcess, startEcho, startGateway } from "../test-support/servers.ts";

let admin: AdminApiHarness;
let gateway: GatewayProcess;
let echo: Awaited<ReturnType<typeof startEcho>>;

beforeAll(async () => {
  admin = startAdminApi();
  echo = await startEcho();
  gateway = await startGateway(admin.dataDir, { GATEHOUSE_ACCESS_LOG: "json" });
}, 30_000);
afterAll(async () => {
  await gateway?.stop();
  if (echo) await closeServer(echo.server);
  admin?.close();
});

/** The JSON lines the gateway printed, among its other output. */
const printed = (): AccessLogEntry[] =>
  gateway
    .output()
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as AccessLogEntry);

test("[LOGS] GATEHOUSE_ACCESS_LOG=json prints one JSON line per request, matched or not, with no credential", async () => {
  const { apiId } = await makeApi(admin, echo.url, "printed", []);
  await gateway.waitForRevision(currentRevision(admin.db));
  const ids = Array.from({ length: 20 }, (_, i) => `req-stdout-${i}`);
  for (const id of ids) {
    const response = await fetch(`${gateway.proxyUrl}/printed/x?api_key=query-secret-4411`, {
      headers: { "x-request-id": id, authorization: "Bearer auth-secret-8822" },
    });
    await response.arrayBuffer();
  }
  const unmatched = await fetch(`${gateway.proxyUrl}/nowhere`, { headers: { "x-request-id": "req-stdout-none" } });
  await unmatched.arrayBuffer();
  const all = [...ids, "req-stdout-none"];
  const lines = await until("a line per request", () => {
    const got = printed().filter((entry) => all.includes(entry.requestId));
    return got.length >= all.length ? got : undefined;
  });
  expect(lines.map((entry) => entry.requestId).sort()).toEqual([...all].sort());
  expect(lines.find((entry) => entry.requestId === "req-stdout-0")).toMatchObject({
    apiId,
    path: "/printed/x",
    status: 200,
    refusal: null,
  });
  expect(lines.find((entry) => entry.requestId === "req-stdout-none")).toMatchObject({
    apiId: null,
    status: 404,
    refusal: "no_route",
    upstreamMs: null,
  });
  expect(gateway.output()).not.toContain("query-secret-4411");
  expect(gateway.output()).not.toContain("auth-secret-8822");
}, 30_000);
