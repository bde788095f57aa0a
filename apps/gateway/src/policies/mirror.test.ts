import { createServer, type IncomingMessage, type Server } from "node:http";
import { loadSnapshot } from "@gatehouse/db";
import { findPolicy, type PolicyContext } from "@gatehouse/policies";
import { testContext, testServices } from "@gatehouse/policies/test-support/context";
import { afterEach, beforeEach, expect, test } from "vitest";
import { compileConfig } from "../config/compile.ts";
import { HealthRegistry } from "../health/registry.ts";
import { PoolRegistry } from "../proxy/pools.ts";
import { upstreamPools } from "../proxy/side-requests.ts";
import { TestConfigDb } from "../test-support/config-db.ts";
import { closeServer, listenLocal } from "../test-support/servers.ts";
import { PolicyCounts } from "./policy-counts.ts";

const mirrorPolicy = findPolicy("mirror") as NonNullable<ReturnType<typeof findPolicy>>;

interface Received {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
}

let config: TestConfigDb;
let pools: PoolRegistry;
let health: HealthRegistry;
const servers: Server[] = [];

beforeEach(() => {
  config = new TestConfigDb();
  pools = new PoolRegistry();
  health = new HealthRegistry({ log: () => {} });
});
afterEach(async () => {
  // Closing the servers first ends copies a hanging target still holds, so the pools can close.
  await Promise.all(servers.splice(0).map(closeServer));
  await health.close();
  await pools.close();
  config.remove();
});

/** A mirror target on 127.0.0.1 that records each copy and answers it, or never answers. */
async function target(answer = true): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      received.push({
        method: req.method ?? "",
        url: req.url ?? "",
        headers: req.headers,
        body: `${Buffer.concat(chunks)}`,
      });
      if (answer) res.end("thrown away");
    });
  });
  servers.push(server);
  return { url: await listenLocal(server), received };
}

/** The policy as the gateway builds it: over the real pools of a compiled config, counting into PolicyCounts. */
function mirrorTo(url: string, config_: Record<string, unknown> = {}) {
  const { upstreamId } = config.addUpstream([{ url }]);
  const runtime = compileConfig(loadSnapshot(config.db), pools, health);
  const counts = new PolicyCounts();
  const services = { ...testServices(), upstreams: upstreamPools(runtime.upstreamsById), metrics: counts };
  const parsed = mirrorPolicy.config.parse({ upstreamId, ...config_ });
  const handler = mirrorPolicy.create(parsed, services, "pol_mirror");
  const outcomes = () => {
    const seen: Record<string, number> = {};
    for (const [, policyId, outcome, n] of counts.of("gatehouse_mirror_requests_total")) {
      expect(policyId).toBe("pol_mirror");
      seen[outcome] = n;
    }
    return seen;
  };
  return { handler, outcomes, lines: services.lines };
}

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; !condition(); i++) {
    if (i > 500) throw new Error("the condition never held");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const post = (body: string, headers: Record<string, string> = {}): PolicyContext =>
  testContext(
    { method: "POST", path: "/orders", headers: { "content-length": String(body.length), ...headers } },
    Buffer.from(body),
  );

test("a copy goes to the mirror pool with the method, path, query, body and headers the upstream gets", async () => {
  const shadow = await target();
  const { handler, outcomes } = mirrorTo(`${shadow.url}/base`);
  const get = testContext({ path: "/v1/orders", query: "page=2", headers: { accept: "text/plain" } });
  get.upstream.path = "/orders";
  // Without a body nothing is awaited: the chain goes on at once.
  expect(handler.handle(get)).toBeUndefined();
  expect(await handler.handle(post('{"n":1}', { "content-type": "application/json" }))).toBeUndefined();
  // A body a transform policy rewrote is the one the upstream gets, so the copy gets it too.
  const rewritten = post("client's");
  rewritten.upstream.body = Buffer.from("rewritten");
  rewritten.upstream.path = "/rewritten";
  expect(handler.handle(rewritten)).toBeUndefined();
  await until(() => outcomes().sent === 3);
  expect(shadow.received.find((copy) => copy.url === "/base/rewritten")?.body).toBe("rewritten");
  const [first, second] = shadow.received
    .filter((copy) => copy.url !== "/base/rewritten")
    .sort((a, b) => a.method.localeCompare(b.method));
  expect(first).toMatchObject({ method: "GET", url: "/base/orders?page=2", body: "" });
  expect(first?.headers).toMatchObject({ accept: "text/plain", "x-gatehouse-mirror": "1", "x-request-id": "req_test" });
  expect(second).toMatchObject({ method: "POST", url: "/base/orders", body: '{"n":1}' });
  expect(second?.headers["content-type"]).toBe("application/json");
  expect(outcomes()).toEqual({ sent: 3 });
});

test("at 0% nothing is copied; a body over maxBodyBytes, declared or streamed, is skipped and counted", async () => {
  const shadow = await target();
  const none = mirrorTo(shadow.url, { percent: 0 });
  for (let i = 0; i < 20; i++) expect(none.handler.handle(testContext())).toBeUndefined();
  const small = mirrorTo(shadow.url, { maxBodyBytes: 8 });
  expect(small.handler.handle(post("123456789"))).toBeUndefined();
  const chunked = testContext(
    { method: "POST", headers: { "transfer-encoding": "chunked" } },
    Buffer.from("123456789"),
  );
  expect(await small.handler.handle(chunked)).toBeUndefined();
  expect(await small.handler.handle(post("12345678"))).toBeUndefined();
  await until(() => small.outcomes().sent === 1);
  expect(small.outcomes()).toEqual({ skipped: 2, sent: 1 });
  expect(none.outcomes()).toEqual({});
  expect(shadow.received.map((copy) => copy.body)).toEqual(["12345678"]);
});

test("a hanging target holds at most maxConcurrent copies; the rest are dropped, the held ones time out as failed", async () => {
  const hanging = await target(false);
  const { handler, outcomes, lines } = mirrorTo(hanging.url, { maxConcurrent: 3, timeoutMs: 300 });
  for (let i = 0; i < 10; i++) expect(handler.handle(testContext())).toBeUndefined();
  expect(outcomes()).toEqual({ dropped: 7 });
  await until(() => outcomes().failed === 3);
  expect(hanging.received).toHaveLength(3);
  // Ten problems, one log line: the first; the next may come a minute later at the soonest.
  expect(lines).toEqual(["mirror pol_mirror: 0 failed, 1 dropped, 0 skipped since the last line"]);
  // The slots are free again.
  expect(handler.handle(testContext())).toBeUndefined();
  await until(() => hanging.received.length === 4);
});

test("a target that refuses connections fails the copy, counted, never retried", async () => {
  const gone = createServer();
  const url = await listenLocal(gone);
  await closeServer(gone);
  const { handler, outcomes } = mirrorTo(url);
  expect(handler.handle(testContext())).toBeUndefined();
  await until(() => outcomes().failed === 1);
  expect(outcomes()).toEqual({ failed: 1 });
});
