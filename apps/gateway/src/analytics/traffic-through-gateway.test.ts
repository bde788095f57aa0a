import { type AdminApiHarness, startAdminApi } from "@gatehouse/admin-api/test-support";
import { currentRevision, openAnalyticsDbForReading, TRAFFIC_TABLES } from "@gatehouse/db";
import { LatencyHistogram, type LiveMessage, sseEvents } from "@gatehouse/shared";
import { afterAll, beforeAll, expect, test } from "vitest";
import { closeServer, type GatewayProcess, startEcho, startGateway } from "../test-support/servers.ts";

const TOKEN = "status-token-for-tests-0123456789";
let admin: AdminApiHarness;
let gateway: GatewayProcess;
let echo: Awaited<ReturnType<typeof startEcho>>;
let apiId: string;
const consumers: { id: string; key: string }[] = [];

beforeAll(async () => {
  admin = startAdminApi();
  echo = await startEcho();
  gateway = await startGateway(admin.dataDir, { GATEHOUSE_STATUS_TOKEN: TOKEN });
  const api = await admin.call("POST", "/apis", {
    name: "orders",
    upstream: { targets: [{ url: echo.url }] },
    routes: [{ paths: ["/orders"] }],
  });
  apiId = api.json.id;
  await admin.call("POST", "/policies", { type: "key-auth", apiId, config: {} });
  for (const name of ["acme", "globex"]) {
    const id = (await admin.call("POST", "/consumers", { name })).json.id;
    const { key } = (await admin.call("POST", `/consumers/${id}/keys`, {})).json;
    consumers.push({ id, key });
  }
  await gateway.waitForRevision(currentRevision(admin.db));
}, 30_000);
afterAll(async () => {
  await gateway?.stop();
  if (echo) await closeServer(echo.server);
  admin?.close();
});

const status = (path: string, token: string | null = TOKEN) =>
  fetch(`${gateway.statusUrl}${path}`, token === null ? {} : { headers: { authorization: `Bearer ${token}` } });

/** Every answer this file got from the gateway, by consumer and status class: what analytics must count. */
const answered: Record<string, number> = {};

function send(count: number, key: string | null, path = "/orders/"): Promise<number[]> {
  const consumer = consumers.find((c) => c.key === key)?.id ?? "";
  return Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const res = await fetch(`${gateway.proxyUrl}${path}${i}`, { headers: key === null ? {} : { "x-api-key": key } });
      await res.arrayBuffer();
      const cell = `${res.status === 401 ? "" : consumer}|${Math.floor(res.status / 100)}`;
      answered[cell] = (answered[cell] ?? 0) + 1;
      return res.status;
    }),
  );
}

/** Reads /stream until `done` says so (the test's own timeout bounds the wait). */
async function readStream(done: (messages: LiveMessage[]) => boolean): Promise<LiveMessage[]> {
  const res = await status("/stream", TOKEN);
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
  const messages: LiveMessage[] = [];
  for await (const { data } of sseEvents(res.body as ReadableStream<Uint8Array>)) {
    messages.push(JSON.parse(data));
    if (done(messages)) break;
  }
  return messages;
}

test("[ANALYTICS] /stream and /requests need the status token; /metrics and health do not", async () => {
  expect((await status("/stream", null)).status).toBe(401);
  expect((await status("/stream", "wrong-token-wrong-token-wrong")).status).toBe(401);
  expect((await status("/requests", null)).status).toBe(401);
  expect((await status("/metrics", null)).status).toBe(200);
  const bad = await status("/requests?status=6xx&limit=0");
  expect(bad.status).toBe(400);
  const body = (await bad.json()) as { error: { fields: { path: string }[] } };
  expect(body.error.fields.map((f) => f.path).sort()).toEqual(["limit", "status"]);
});

test("[ANALYTICS] a request shows on the live stream, counted by consumer and status class", async () => {
  const [acme] = consumers as [{ id: string; key: string }];
  const stream = readStream((messages) =>
    messages.some((m) => m.seconds.some((s) => s.cells.some((c) => c[2] === acme.id))),
  );
  // Let the subscription open before the request goes out.
  await new Promise((resolve) => setTimeout(resolve, 200));
  expect(await send(1, acme.key)).toEqual([200]);
  const messages = await stream;
  const cell = messages.flatMap((m) => m.seconds.flatMap((s) => s.cells)).find((c) => c[2] === acme.id);
  expect(cell?.slice(0, 5)).toEqual([apiId, expect.stringMatching(/^rte_/), acme.id, 2, 1]);
  expect(LatencyHistogram.decode(cell?.[8]).count).toBe(1);
  // Every message says up to which second all is complete, so idle seconds can be drawn as zeros.
  for (const message of messages) expect(message.upTo).toBeGreaterThan(0);
});

test("[ANALYTICS] the request log keeps the last requests, newest first, filterable; the query string is left out", async () => {
  const [, globex] = consumers as [unknown, { id: string; key: string }];
  // key-auth reads the header only by default: a key in the query is no credential, and must not be logged.
  expect(await send(1, null, `/orders/secret?apikey=${globex.key}&n=`)).toEqual([401]);
  await send(2, globex.key);
  const res = await status(`/requests?consumerId=${globex.id}&status=2xx&limit=5`);
  const log = (await res.json()) as {
    entries: { path: string; consumerId: string; status: number }[];
    sampleRate: number;
  };
  expect(log.sampleRate).toBe(1);
  expect(log.entries).toHaveLength(2);
  expect(log.entries.every((e) => e.consumerId === globex.id && e.status === 200)).toBe(true);
  const unauthorized = (await (await status("/requests?status=401")).json()) as { entries: { path: string }[] };
  expect(unauthorized.entries[0]?.path).toBe("/orders/secret");
  expect(unauthorized.entries[0]).not.toHaveProperty("query");
  expect(JSON.stringify(unauthorized)).not.toContain(globex.key);
});

test("[ANALYTICS] /metrics counts requests by api and status, with a latency histogram", async () => {
  const text = await (await status("/metrics", null)).text();
  const count = (status: number) =>
    Number(
      new RegExp(`gatehouse_requests_total\\{api_id="${apiId}",api="orders",status="${status}"\\} (\\d+)`).exec(
        text,
      )?.[1],
    );
  expect(count(200)).toBeGreaterThanOrEqual(3);
  expect(count(401)).toBeGreaterThanOrEqual(1);
  expect(text).toMatch(
    new RegExp(`gatehouse_request_duration_seconds_bucket\\{api_id="${apiId}",api="orders",le="\\+Inf"\\} \\d+`),
  );
  expect(text).not.toContain("consumer_id=");
});

test("[ANALYTICS] SIGTERM: every request answered before the stop is counted exactly once, in every table", async () => {
  const [acme, globex] = consumers as [{ id: string; key: string }, { id: string; key: string }];
  const [a, b, none] = await Promise.all([send(307, acme.key), send(113, globex.key), send(41, null)]);
  expect(new Set(a)).toEqual(new Set([200]));
  expect(new Set(b)).toEqual(new Set([200]));
  expect(new Set(none)).toEqual(new Set([401]));
  expect(await gateway.stop()).toBe(0);
  const db = openAnalyticsDbForReading(admin.dataDir);
  for (const { name: table } of TRAFFIC_TABLES) {
    const rows = db?.$client
      .prepare(`SELECT consumer_id AS c, status_class AS s, sum(requests) AS n FROM ${table} GROUP BY 1, 2`)
      .all() as { c: string; s: number; n: number }[];
    expect(Object.fromEntries(rows.map((row) => [`${row.c}|${row.s}`, row.n]))).toEqual(answered);
  }
  db?.$client.close();
  expect(answered[`${acme.id}|2`]).toBeGreaterThan(307);
});
