import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import { type AdminApiHarness, startAdminApi } from "@gatehouse/admin-api/test-support";
import { currentRevision } from "@gatehouse/db";
import { afterAll, beforeAll, expect, test } from "vitest";
import { closeServer, type GatewayProcess, listenLocal, startGateway } from "../test-support/servers.ts";

let admin: AdminApiHarness;
let gateway: GatewayProcess;
let upstreamUrl: string;
const upstream = createServer(answer);
/** Requests the upstream got, by path. */
const hits = new Map<string, number>();
/** Held answers wait for this to be called. */
let releaseHeld: () => void = () => {};
let held = new Promise<void>((resolve) => (releaseHeld = resolve));

/** The upstream: what it answers depends on the path's second segment; each body names its request's number. */
function answer(req: IncomingMessage, res: ServerResponse): void {
  const path = new URL(req.url ?? "/", "http://upstream").pathname;
  const n = (hits.get(path) ?? 0) + 1;
  hits.set(path, n);
  const body = `${path} #${n}`;
  switch (path.split("/")[2]) {
    case "no-store":
      res.writeHead(200, { "cache-control": "no-store" }).end(body);
      return;
    case "cookie":
      res.writeHead(200, { "set-cookie": `session=${n}` }).end(body);
      return;
    case "vary":
      res.writeHead(200, { vary: "Accept-Language" }).end(`${req.headers["accept-language"]} ${body}`);
      return;
    case "big":
      // Chunked, so only the bytes themselves tell the cache it is too large.
      res.writeHead(200);
      res.write("x".repeat(3000));
      res.end(body);
      return;
    case "short":
      res.writeHead(200, { "cache-control": n === 1 ? "max-age=1" : "max-age=600" }).end(body);
      return;
    case "held":
      void held.then(() => res.writeHead(200, { "cache-control": "max-age=600" }).end(body));
      return;
    default:
      res.writeHead(200, { "content-type": "text/plain", "cache-control": "public, max-age=600" }).end(body);
  }
}

beforeAll(async () => {
  admin = startAdminApi();
  upstreamUrl = await listenLocal(upstream);
  // One proxy thread: the memory store is per thread, so a second thread would have its own copies.
  gateway = await startGateway(admin.dataDir, { GATEHOUSE_WORKERS: "1" });
}, 30_000);
afterAll(async () => {
  releaseHeld();
  await gateway?.stop();
  await closeServer(upstream);
  admin?.close();
});

const synced = () => gateway.waitForRevision(currentRevision(admin.db));

async function cachedApi(name: string, config: Record<string, unknown> = {}, target = upstreamUrl) {
  const api = await admin.call("POST", "/apis", {
    name,
    upstream: { targets: [{ url: target }] },
    // Unstripped, so the upstream sees the whole path and answers by its second segment.
    routes: [{ paths: [`/${name}`], stripPath: false }],
  });
  expect(api.status).toBe(201);
  const policy = await admin.call("POST", "/policies", { type: "proxy-cache", config, apiId: api.json.id });
  expect(policy.status, JSON.stringify(policy.json)).toBe(201);
  await synced();
  return api.json.id as string;
}

async function get(path: string, headers: Record<string, string> = {}, method = "GET") {
  const res = await fetch(`${gateway.proxyUrl}${path}`, { method, headers });
  return { status: res.status, cache: res.headers.get("x-cache-status"), headers: res.headers, body: await res.text() };
}

test("[CACHE] a second GET is a HIT with Age, the upstream asked once; HEAD is answered from GET's copy", async () => {
  await cachedApi("plain");
  const first = await get("/plain/items?b=2&a=1");
  expect([first.status, first.cache, first.body]).toEqual([200, "MISS", "/plain/items #1"]);
  const second = await get("/plain/items?a=1&b=2");
  expect([second.status, second.cache, second.body]).toEqual([200, "HIT", "/plain/items #1"]);
  expect(second.headers.get("age")).toMatch(/^\d+$/);
  expect(second.headers.get("content-type")).toBe("text/plain");
  const head = await get("/plain/items?a=1&b=2", {}, "HEAD");
  expect([head.status, head.cache, head.body, head.headers.get("content-length")]).toEqual([
    200,
    "HIT",
    "",
    String(first.body.length),
  ]);
  expect(hits.get("/plain/items")).toBe(1);
  // A request with a credential is not answered from a copy another client's request filled.
  expect((await get("/plain/items?a=1&b=2", { authorization: "Bearer x" })).cache).toBe("BYPASS");
  expect((await get("/plain/items?a=1&b=2", { "cache-control": "no-cache" })).body).toBe("/plain/items #3");
  expect((await get("/plain/items?a=1&b=2")).body).toBe("/plain/items #3");
});

test("[CACHE] no-store answers, answers with Set-Cookie and bodies over maxBodyBytes are never kept", async () => {
  await cachedApi("never", { maxBodyBytes: 1024 });
  for (const path of ["/never/no-store", "/never/cookie", "/never/big"]) {
    const first = await get(path);
    const second = await get(path);
    expect([path, first.cache, second.cache]).toEqual([path, "MISS", "MISS"]);
    expect(second.body.endsWith(`${path} #2`)).toBe(true);
    expect(hits.get(path)).toBe(2);
  }
  expect((await get("/never/big")).body).toHaveLength(3000 + "/never/big #3".length);
  expect((await get("/never/cookie")).headers.get("set-cookie")).toBe("session=3");
  expect((await get("/never/no-store", { "cache-control": "no-store" })).cache).toBe("BYPASS");
});

test("[CACHE] Vary is respected: a copy answers only requests with the same Accept-Language", async () => {
  await cachedApi("varied");
  expect((await get("/varied/vary", { "accept-language": "fr" })).body).toBe("fr /varied/vary #1");
  const same = await get("/varied/vary", { "accept-language": "fr" });
  expect([same.cache, same.body]).toEqual(["HIT", "fr /varied/vary #1"]);
  const other = await get("/varied/vary", { "accept-language": "de" });
  expect([other.cache, other.body]).toEqual(["MISS", "de /varied/vary #2"]);
});

test("[CACHE] an expired copy is EXPIRED, goes upstream once, and the fresh answer is kept", async () => {
  await cachedApi("expiring");
  expect((await get("/expiring/short")).cache).toBe("MISS");
  expect((await get("/expiring/short")).cache).toBe("HIT");
  // max-age=1 counts from when the gateway kept it, before this client read it: past it for sure.
  await sleep(1_100);
  const expired = await get("/expiring/short");
  expect([expired.cache, expired.body]).toEqual(["EXPIRED", "/expiring/short #2"]);
  const fresh = await get("/expiring/short");
  expect([fresh.cache, fresh.body]).toEqual(["HIT", "/expiring/short #2"]);
});

/** The gateway's count of requests taken, as its workers last reported it. */
async function requestsTaken(): Promise<number> {
  const text = await (await fetch(`${gateway.statusUrl}/metrics`)).text();
  return [...text.matchAll(/^gatehouse_worker_requests_total\{[^}]*\} (\d+)$/gm)].reduce((n, m) => n + Number(m[1]), 0);
}

test("[CACHE] 20 concurrent misses for one key make one upstream request; the others wait and are HITs", async () => {
  await cachedApi("crowd");
  const before = await requestsTaken();
  const answers = Promise.all(Array.from({ length: 20 }, () => get("/crowd/held")));
  // Every request is in the gateway, one of them upstream, before the upstream answers.
  while ((await requestsTaken()) < before + 20) await sleep(20);
  expect(hits.get("/crowd/held")).toBe(1);
  releaseHeld();
  const all = await answers;
  expect(new Set(all.map((a) => `${a.status} ${a.body}`))).toEqual(new Set(["200 /crowd/held #1"]));
  expect(all.filter((a) => a.cache === "MISS")).toHaveLength(1);
  expect(all.filter((a) => a.cache === "HIT")).toHaveLength(19);
  expect(hits.get("/crowd/held")).toBe(1);
  held = new Promise<void>((resolve) => (releaseHeld = resolve));
}, 30_000);

test("[CACHE] a purge through the Admin API makes the next request under its prefix a MISS, on every revision after it", async () => {
  const apiId = await cachedApi("purged");
  for (const path of ["/purged/a/1", "/purged/b/1"]) {
    await get(path);
    expect((await get(path)).cache).toBe("HIT");
  }
  const purge = await admin.call("DELETE", `/apis/${apiId}/cache?prefix=/purged/a`);
  expect(purge.status).toBe(202);
  await synced();
  const after = await get("/purged/a/1");
  expect([after.cache, after.body]).toEqual(["MISS", "/purged/a/1 #2"]);
  expect((await get("/purged/a/1")).cache).toBe("HIT");
  expect((await get("/purged/b/1")).body).toBe("/purged/b/1 #1");
  // A later, unrelated change compiles a new handler: the purge still holds and the new copy survives it.
  await admin.call("PATCH", `/apis/${apiId}`, { description: "changed" });
  await synced();
  expect(await get("/purged/a/1")).toMatchObject({ cache: "HIT", body: "/purged/a/1 #2" });
});
