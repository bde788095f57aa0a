import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import { type AdminApiHarness, startAdminApi } from "@gatehouse/admin-api/test-support";
import { currentRevision } from "@gatehouse/db";
import { afterAll, beforeAll, expect, test } from "vitest";
import { type ReceivedSpan, startOtlpReceiver } from "../test-support/otlp-receiver.ts";
import { closeServer, type GatewayProcess, listenLocal, startGateway } from "../test-support/servers.ts";

const TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
const CLIENT_SPAN = "00f067aa0ba902b7";
const SERVER = 2;
const CLIENT = 3;

let admin: AdminApiHarness;
let gateway: GatewayProcess;
let receiver: Awaited<ReturnType<typeof startOtlpReceiver>>;
let hanging: Awaited<ReturnType<typeof startOtlpReceiver>>;
let upstream: Server;
let upstreamUrl: string;
/** What the upstream was sent, by X-Request-Id. */
const seen = new Map<string, IncomingHttpHeaders>();

beforeAll(async () => {
  admin = startAdminApi();
  receiver = await startOtlpReceiver();
  hanging = await startOtlpReceiver(true);
  upstream = createServer((req, res) => {
    seen.set(req.headers["x-request-id"] as string, req.headers);
    res.writeHead(req.url?.includes("fail") ? 503 : 200).end("ok");
  });
  upstreamUrl = await listenLocal(upstream);
  // One worker: its exporter sends spans in the order requests ended.
  gateway = await startGateway(admin.dataDir, { GATEHOUSE_WORKERS: "1" });
}, 30_000);
afterAll(async () => {
  await gateway?.stop();
  await receiver?.close();
  await hanging?.close();
  if (upstream) await closeServer(upstream);
  admin?.close();
});

async function tracedApi(name: string, config: Record<string, unknown>, more: object[] = []) {
  const api = await admin.call("POST", "/apis", {
    name,
    upstream: { targets: [{ url: upstreamUrl }] },
    routes: [{ paths: [`/${name}`] }],
  });
  expect(api.status, JSON.stringify(api.json)).toBe(201);
  const policy = await admin.call("POST", "/policies", { type: "opentelemetry", config, apiId: api.json.id });
  expect(policy.status, JSON.stringify(policy.json)).toBe(201);
  for (const other of more)
    expect((await admin.call("POST", "/policies", { ...other, apiId: api.json.id })).status).toBe(201);
  await gateway.waitForRevision(currentRevision(admin.db));
  return { apiId: api.json.id as string, policyId: policy.json.id as string };
}

async function until<T>(what: string, found: () => T | undefined | Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 500; i++) {
    const value = await found();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`never: ${what}`);
}

async function send(path: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${gateway.proxyUrl}${path}`, { headers });
  await res.arrayBuffer();
  const requestId = res.headers.get("x-request-id") as string;
  return { status: res.status, requestId, upstreamSaw: seen.get(requestId) };
}

/** The spans of one request, once its server span arrived (the last of its batch to be made, the first queued). */
async function spansOf(requestId: string): Promise<ReceivedSpan[]> {
  const server = await until(`the spans of ${requestId}`, () =>
    receiver.spans.find((span) => span.attributes["gatehouse.request_id"] === requestId),
  );
  await until("the rest of its spans", () =>
    receiver.spans.some((span) => span.parentSpanId === server.spanId && span.kind === CLIENT) ? true : undefined,
  );
  return receiver.spans.filter((span) => span.spanId === server.spanId || span.parentSpanId === server.spanId);
}

test("[OTEL] a client's sampled trace is continued: the server span is its child, phases and the upstream call are the server's, and the upstream's parent is the CLIENT span", async () => {
  const { apiId } = await tracedApi(
    "continued",
    {
      endpoint: `${receiver.url}/`,
      serviceName: "edge",
      flushIntervalMs: 10,
      headers: "Authorization: Bearer otel-token",
    },
    [{ type: "key-auth" }],
  );
  const consumer = (await admin.call("POST", "/consumers", { name: "tracer" })).json;
  const key = (await admin.call("POST", `/consumers/${consumer.id}/keys`, { apiIds: [apiId] })).json.key as string;
  await gateway.waitForRevision(currentRevision(admin.db));
  const { status, requestId, upstreamSaw } = await send("/continued/items?secret=1", {
    traceparent: `00-${TRACE}-${CLIENT_SPAN}-01`,
    tracestate: "vendor=1",
    "x-api-key": key,
  });
  expect(status).toBe(200);
  const spans = await spansOf(requestId);
  const server = spans.find((span) => span.kind === SERVER) as ReceivedSpan;
  const client = spans.find((span) => span.kind === CLIENT) as ReceivedSpan;
  const phases = spans.filter((span) => span.kind === 1);
  expect(server).toMatchObject({ traceId: TRACE, parentSpanId: CLIENT_SPAN, traceState: "vendor=1", name: "GET" });
  expect(server.attributes).toMatchObject({
    "http.request.method": "GET",
    "url.path": "/continued/items",
    "http.response.status_code": 200,
    "client.address": "127.0.0.1",
    "gatehouse.api_id": apiId,
    "gatehouse.consumer_id": consumer.id,
  });
  expect(server.attributes["gatehouse.route_id"]).toMatch(/^rte_/);
  expect(server.resource["service.name"]).toBe("edge");
  expect(server.status.code).toBeUndefined();
  expect(phases.map((span) => [span.name, span.attributes["gatehouse.policies"]])).toEqual([
    ["policies auth", "key-auth"],
  ]);
  expect(client).toMatchObject({ traceId: TRACE, parentSpanId: server.spanId, name: "upstream" });
  expect(client.attributes["http.response.status_code"]).toBe(200);
  expect(upstreamSaw?.traceparent).toBe(`00-${TRACE}-${client.spanId}-01`);
  expect(upstreamSaw?.tracestate).toBe("vendor=1");
  // Times are unix nanoseconds, in order.
  for (const span of [server, client, ...phases]) {
    expect(BigInt(span.endTimeUnixNano) >= BigInt(span.startTimeUnixNano)).toBe(true);
    expect(Number(BigInt(span.startTimeUnixNano) / 1_000_000n)).toBeGreaterThan(Date.now() - 60_000);
  }
  expect(BigInt(client.startTimeUnixNano) >= BigInt(server.startTimeUnixNano)).toBe(true);
  expect(receiver.exports.at(-1)?.contentType).toBe("application/json");
  expect(receiver.exports.at(-1)?.headers.authorization).toBe("Bearer otel-token");
});

test("[OTEL] without a valid traceparent a new trace starts; a 5xx marks the server span as an error", async () => {
  await tracedApi("fresh", { endpoint: receiver.url, flushIntervalMs: 10 });
  const cases: Record<string, string>[] = [
    {},
    { traceparent: `00-${"0".repeat(32)}-${CLIENT_SPAN}-01`, tracestate: "stale=1" },
  ];
  for (const headers of cases) {
    const { requestId, upstreamSaw } = await send("/fresh/fail", headers);
    const spans = await spansOf(requestId);
    const server = spans.find((span) => span.kind === SERVER) as ReceivedSpan;
    const client = spans.find((span) => span.kind === CLIENT) as ReceivedSpan;
    expect(server.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(server.traceId).not.toBe("0".repeat(32));
    expect([server.parentSpanId, server.traceState]).toEqual(["", ""]);
    expect(server.resource["service.name"]).toBe("gatehouse");
    expect(server.status.code).toBe(2);
    expect(server.attributes["http.response.status_code"]).toBe(503);
    expect(upstreamSaw?.traceparent).toBe(`00-${server.traceId}-${client.spanId}-01`);
    expect(upstreamSaw?.tracestate).toBeUndefined();
  }
});

test("[OTEL] at samplingRatio 0 new traces send nothing, yet the upstream gets an unsampled traceparent; a client's sampled flag still wins", async () => {
  await tracedApi("unsampled", { endpoint: receiver.url, samplingRatio: 0, flushIntervalMs: 10 });
  const before = receiver.spans.length;
  const quiet = [];
  for (let i = 0; i < 5; i++) quiet.push(await send("/unsampled"));
  for (const { upstreamSaw } of quiet) expect(upstreamSaw?.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-00$/);
  const unsampledClient = await send("/unsampled", { traceparent: `00-${TRACE}-${CLIENT_SPAN}-00` });
  expect(unsampledClient.upstreamSaw?.traceparent).toBe(`00-${TRACE}-${CLIENT_SPAN}-00`);
  const sampled = await send("/unsampled", { traceparent: `00-${"a".repeat(32)}-${CLIENT_SPAN}-01` });
  // The one exporter sends in order: once the sampled request's spans are in, anything before it would be too.
  const spans = await spansOf(sampled.requestId);
  expect(spans[0]?.traceId).toBe("a".repeat(32));
  const traced = new Set(receiver.spans.slice(before).map((span) => span.attributes["gatehouse.request_id"]));
  expect(traced).toEqual(new Set([sampled.requestId, undefined]));
});

test("[OTEL] a collector that hangs adds nothing to request latency, and the spans that do not fit the queue are counted as dropped", async () => {
  const { policyId } = await tracedApi("hung", {
    endpoint: hanging.url,
    batchSize: 2,
    maxQueueSpans: 4,
    flushIntervalMs: 10,
    timeoutMs: 5_000,
  });
  const slowest = { ms: 0 };
  const started = performance.now();
  for (let i = 0; i < 20; i++) {
    const at = performance.now();
    expect((await send("/hung")).status).toBe(200);
    slowest.ms = Math.max(slowest.ms, performance.now() - at);
  }
  // The collector holds its first export for 5 s; no request waited on it.
  expect(slowest.ms).toBeLessThan(2_500);
  expect(performance.now() - started).toBeLessThan(4_000);
  expect(hanging.exports).toHaveLength(1);
  // 20 requests of 2 spans: 2 in the export in flight, 4 queued, the other 34 dropped.
  const dropped = await until("the drops in /metrics", async () => {
    const text = await (await fetch(`${gateway.statusUrl}/metrics`)).text();
    const m = new RegExp(
      `^gatehouse_otel_spans_dropped_total\\{policy="${policyId}",outcome="queue_full"\\} (\\d+)$`,
      "m",
    ).exec(text);
    return m === null ? undefined : Number(m[1]);
  });
  expect(dropped).toBe(34);
});

test("[OTEL] a bad endpoint or ratio is a 400 on its field, and nothing is saved", async () => {
  const before = (await admin.call("GET", "/policies")).json;
  for (const [config, field] of [
    [{ endpoint: "collector:4318" }, "config.endpoint"],
    [{ endpoint: receiver.url, samplingRatio: 1.5 }, "config.samplingRatio"],
  ] as const) {
    const refused = await admin.call("POST", "/policies", { type: "opentelemetry", config });
    expect(refused.status).toBe(400);
    expect(refused.json.error.fields.map((f: { path: string }) => f.path)).toEqual([field]);
  }
  expect((await admin.call("GET", "/policies")).json).toEqual(before);
});
