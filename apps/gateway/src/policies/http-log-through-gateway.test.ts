import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { type AdminApiHarness, startAdminApi } from "@gatehouse/admin-api/test-support";
import { currentRevision } from "@gatehouse/db";
import type { AccessLogEntry } from "@gatehouse/policies";
import { afterAll, beforeAll, expect, test } from "vitest";
import { closeServer, type GatewayProcess, listenLocal, startEcho, startGateway } from "../test-support/servers.ts";
import { droppedCounts, makeApi, until } from "./log-sink-support.ts";

interface Batch {
  path: string;
  headers: IncomingMessage["headers"];
  body: string;
  status: number;
}

let admin: AdminApiHarness;
let gateway: GatewayProcess;
let echo: Awaited<ReturnType<typeof startEcho>>;
let sink: Server;
let sinkUrl: string;
const batches: Batch[] = [];
const hanging: ServerResponse[] = [];
let flakyFailuresLeft = 2;

/** /ok answers 204; /hang answers after 5 s; /flaky answers 503 twice, then 204. */
function answer(path: string, res: ServerResponse): number {
  if (path === "/hang") {
    hanging.push(res);
    setTimeout(() => res.writeHead(204).end(), 5_000).unref();
    return 0;
  }
  const status = path === "/flaky" && flakyFailuresLeft-- > 0 ? 503 : 204;
  res.writeHead(status).end();
  return status;
}

beforeAll(async () => {
  admin = startAdminApi();
  echo = await startEcho();
  sink = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const path = req.url ?? "";
      const body = `${Buffer.concat(chunks)}`;
      batches.push({ path, headers: req.headers, body, status: answer(path, res) });
    });
  });
  sinkUrl = await listenLocal(sink);
  gateway = await startGateway(admin.dataDir);
}, 30_000);
afterAll(async () => {
  await gateway?.stop();
  for (const res of hanging) res.destroy();
  if (echo) await closeServer(echo.server);
  if (sink) await closeServer(sink);
  admin?.close();
});

const synced = () => gateway.waitForRevision(currentRevision(admin.db));
const entriesAt = (path: string): AccessLogEntry[] =>
  batches
    .filter((batch) => batch.path === path && batch.status === 204)
    .flatMap((batch) => batch.body.trimEnd().split("\n"))
    .map((line) => JSON.parse(line) as AccessLogEntry);

test("[LOGS] every request's entry reaches the sink with its fields, and no credential it carried", async () => {
  const { apiId, routeId, policyIds } = await makeApi(admin, echo.url, "logged", [
    { type: "key-auth", config: { acceptBearer: false, queryParam: "apikey" } },
    {
      type: "http-log",
      config: { url: `${sinkUrl}/ok`, flushIntervalMs: 20, headers: { authorization: "Bearer sink-token" } },
    },
  ]);
  const consumer = (await admin.call("POST", "/consumers", { name: "logged-client" })).json;
  const key = (await admin.call("POST", `/consumers/${consumer.id}/keys`, {})).json.key as string;
  await synced();
  const traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
  const secrets = [key, "query-secret-7f3a", "cookie-secret-91bc", "auth-secret-55de", "wrong-key-0c1d"];
  const calls: Array<{ id: string; url: string; key: Record<string, string> }> = [
    { id: "req-log-header", url: `/logged/items/1?token=${secrets[1]}`, key: { "x-api-key": key } },
    { id: "req-log-query", url: `/logged/items/2?apikey=${key}&token=${secrets[1]}`, key: {} },
    { id: "req-log-refused", url: "/logged/items/3", key: { "x-api-key": secrets[4] as string } },
  ];
  for (const call of calls) {
    const response = await fetch(`${gateway.proxyUrl}${call.url}`, {
      method: "POST",
      body: "{}",
      headers: {
        ...call.key,
        "x-request-id": call.id,
        cookie: `session=${secrets[2]}`,
        authorization: `Basic ${secrets[3]}`,
        traceparent: `00-${traceId}-00f067aa0ba902b7-01`,
      },
    });
    await response.arrayBuffer();
    expect(response.status).toBe(call.id === "req-log-refused" ? 401 : 200);
  }
  const entries = await until("the three entries", () => {
    const got = entriesAt("/ok").filter((entry) => entry.requestId.startsWith("req-log-"));
    return got.length === 3 ? got : undefined;
  });
  const byId = new Map(entries.map((entry) => [entry.requestId, entry]));
  const answered = byId.get("req-log-header");
  expect(answered).toMatchObject({
    traceId,
    apiId,
    routeId,
    consumerId: consumer.id,
    method: "POST",
    path: "/logged/items/1",
    status: 200,
    refusal: null,
    bytesIn: 2,
    clientIp: "127.0.0.1",
  });
  expect(Date.parse(answered?.time ?? "")).toBeGreaterThan(Date.now() - 60_000);
  expect(answered?.upstreamMs).toBeTypeOf("number");
  expect(answered?.latencyMs).toBeGreaterThanOrEqual(answered?.upstreamMs ?? 0);
  expect(answered?.bytesOut).toBeGreaterThan(0);
  expect(byId.get("req-log-query")).toMatchObject({ path: "/logged/items/2", consumerId: consumer.id, status: 200 });
  expect(byId.get("req-log-refused")).toMatchObject({
    status: 401,
    refusal: "key_invalid",
    upstreamMs: null,
    consumerId: null,
  });

  const sent = batches.filter((batch) => batch.path === "/ok");
  expect(sent[0]?.headers["content-type"]).toBe("application/x-ndjson");
  expect(sent[0]?.headers.authorization).toBe("Bearer sink-token");
  const everything = sent.map((batch) => batch.body).join("\n");
  for (const secret of secrets) expect(everything).not.toContain(secret);
  // The sink's own header is write-only: the Admin API never shows it again.
  const shown = await admin.call("GET", `/policies/${policyIds[1]}`);
  expect(shown.status).toBe(200);
  expect(JSON.stringify(shown.json)).not.toContain("sink-token");
}, 30_000);

test("[LOGS] a request an earlier-phase policy answers itself (a CORS preflight) is logged too", async () => {
  await makeApi(admin, echo.url, "preflighted", [
    { type: "cors", config: {} },
    { type: "http-log", config: { url: `${sinkUrl}/ok`, flushIntervalMs: 20 } },
  ]);
  await synced();
  const preflight = await fetch(`${gateway.proxyUrl}/preflighted/x`, {
    method: "OPTIONS",
    headers: {
      origin: "https://app.example.com",
      "access-control-request-method": "POST",
      "x-request-id": "req-preflight",
    },
  });
  await preflight.arrayBuffer();
  expect(preflight.status).toBe(204);
  const entry = await until("the preflight's entry", () =>
    entriesAt("/ok").find((logged) => logged.requestId === "req-preflight"),
  );
  expect(entry).toMatchObject({ method: "OPTIONS", path: "/preflighted/x", status: 204, upstreamMs: null });
}, 30_000);

test("[LOGS] a sink that hangs 5 s adds nothing to requests, and entries past the buffer are dropped and counted", async () => {
  const { policyIds } = await makeApi(admin, echo.url, "hung", [
    { type: "http-log", config: { url: `${sinkUrl}/hang`, batchSize: 1, bufferLimit: 5, retries: 0 } },
  ]);
  await synced();
  const requests = 40;
  const started = performance.now();
  for (let i = 0; i < requests; i++) {
    const response = await fetch(`${gateway.proxyUrl}/hung/x`);
    await response.arrayBuffer();
    expect(response.status).toBe(200);
  }
  // 40 requests, one at a time, against a sink that holds each batch 5 s: far under one hang.
  expect(performance.now() - started).toBeLessThan(2_500);
  // Per worker at most one entry in flight and 5 buffered: of 40, at least 28 are dropped.
  const dropped = await until("the drops in /metrics", async () => {
    const counts = await droppedCounts(gateway.statusUrl, policyIds[0] as string);
    return (counts.buffer_full ?? 0) >= requests - 2 * 6 ? counts : undefined;
  });
  expect(dropped.buffer_full).toBeLessThanOrEqual(requests);
}, 30_000);

test("[LOGS] a batch the sink refuses is sent again with backoff until it is taken", async () => {
  await makeApi(admin, echo.url, "flaky", [
    { type: "http-log", config: { url: `${sinkUrl}/flaky`, flushIntervalMs: 20, retries: 3, retryBackoffMs: 50 } },
  ]);
  await synced();
  const response = await fetch(`${gateway.proxyUrl}/flaky/x`, { headers: { "x-request-id": "req-flaky" } });
  await response.arrayBuffer();
  const taken = await until("the retried batch", () =>
    entriesAt("/flaky").some((entry) => entry.requestId === "req-flaky") ? true : undefined,
  );
  expect(taken).toBe(true);
  const attempts = batches.filter((batch) => batch.path === "/flaky" && batch.body.includes("req-flaky"));
  expect(attempts.map((batch) => batch.status)).toEqual([503, 503, 204]);
}, 30_000);

test("[LOGS] a log policy's bad config is a 400 naming its field, and nothing is saved", async () => {
  const before = (await admin.call("GET", "/policies")).json;
  const cases = [
    [{ type: "http-log", config: { url: "ftp://logs.example.com" } }, "config.url"],
    [{ type: "http-log", config: { url: `${sinkUrl}/ok`, batchSize: 0 } }, "config.batchSize"],
    [
      { type: "http-log", config: { url: `${sinkUrl}/ok`, headers: { "bad header": "x" } } },
      "config.headers.bad header",
    ],
    [{ type: "file-log", config: { path: "relative/access.log" } }, "config.path"],
    [{ type: "file-log", config: { path: "/tmp/access.log", maxFiles: 0 } }, "config.maxFiles"],
  ] as const;
  for (const [body, field] of cases) {
    const refused = await admin.call("POST", "/policies", body);
    expect(refused.status, JSON.stringify(refused.json)).toBe(400);
    expect(refused.json.error.fields.map((f: { path: string }) => f.path)).toContain(field);
  }
  expect((await admin.call("GET", "/policies")).json).toEqual(before);
});
