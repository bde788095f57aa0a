import { createServer, type IncomingMessage, type Server } from "node:http";
import { type AdminApiHarness, startAdminApi } from "@gatehouse/admin-api/test-support";
import { currentRevision } from "@gatehouse/db";
import type { EchoReply } from "@gatehouse/demo-upstream";
import { afterAll, beforeAll, expect, test } from "vitest";
import { closeServer, type GatewayProcess, listenLocal, startEcho, startGateway } from "../test-support/servers.ts";

interface Copy {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
}

let admin: AdminApiHarness;
let gateway: GatewayProcess;
let echo: Awaited<ReturnType<typeof startEcho>>;
let shadow: Server;
let shadowUrl: string;
const copies: Copy[] = [];

beforeAll(async () => {
  admin = startAdminApi();
  echo = await startEcho();
  shadow = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      copies.push({
        method: req.method ?? "",
        url: req.url ?? "",
        headers: req.headers,
        body: `${Buffer.concat(chunks)}`,
      });
      res.writeHead(500).end("a mirror's answer is thrown away");
    });
  });
  shadowUrl = await listenLocal(shadow);
  gateway = await startGateway(admin.dataDir);
}, 30_000);
afterAll(async () => {
  await gateway?.stop();
  if (echo) await closeServer(echo.server);
  if (shadow) await closeServer(shadow);
  admin?.close();
});

const synced = () => gateway.waitForRevision(currentRevision(admin.db));

async function pool(name: string, url: string): Promise<string> {
  const created = await admin.call("POST", "/upstreams", { name, targets: [{ url }] });
  expect(created.status, JSON.stringify(created.json)).toBe(201);
  return created.json.id;
}

/** An API on the echo server with these policies; returns the mirror policy's id, if one is among them. */
async function makeApi(name: string, policies: Array<{ type: string; config?: Record<string, unknown> }>) {
  const api = await admin.call("POST", "/apis", {
    name,
    upstream: { targets: [{ url: echo.url }] },
    routes: [{ paths: [`/${name}`] }],
  });
  expect(api.status, JSON.stringify(api.json)).toBe(201);
  let mirrorId = "";
  for (const policy of policies) {
    const created = await admin.call("POST", "/policies", { ...policy, apiId: api.json.id });
    expect(created.status, JSON.stringify(created.json)).toBe(201);
    if (policy.type === "mirror") mirrorId = created.json.id;
  }
  await synced();
  return { apiId: api.json.id as string, mirrorId };
}

/** gatehouse_mirror_requests_total of one policy by outcome, from the status port. */
async function mirrorCounts(policyId: string): Promise<Record<string, number>> {
  const text = await (await fetch(`${gateway.statusUrl}/metrics`)).text();
  const counts: Record<string, number> = {};
  for (const m of text.matchAll(/^gatehouse_mirror_requests_total\{policy="([^"]+)",outcome="(\w+)"\} (\d+)$/gm)) {
    if (m[1] === policyId) counts[m[2] as string] = Number(m[3]);
  }
  return counts;
}

async function until(what: string, condition: () => boolean | Promise<boolean>): Promise<void> {
  for (let i = 0; !(await condition()); i++) {
    if (i > 300) throw new Error(`never: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

test("[MIRROR] at 100% every request is copied as sent upstream: method, path, query, body, the mark, and no API key", async () => {
  const { apiId, mirrorId } = await makeApi("shadowed", [
    { type: "key-auth", config: { queryParam: "apikey" } },
    { type: "mirror", config: { upstreamId: await pool("shadow", shadowUrl) } },
  ]);
  const consumer = (await admin.call("POST", "/consumers", { name: "mirrored" })).json;
  const key = (await admin.call("POST", `/consumers/${consumer.id}/keys`, { apiIds: [apiId] })).json.key as string;
  await synced();
  const sent = [
    { method: "GET", path: "/shadowed/items?page=2&sort=name", body: undefined },
    { method: "POST", path: "/shadowed/items", body: '{"name":"lamp"}' },
    { method: "PUT", path: `/shadowed/items/7?apikey=${key}&v=3`, body: "replaced" },
    { method: "DELETE", path: "/shadowed/items/7", body: undefined },
  ];
  const ids: string[] = [];
  const upstreamSaw: EchoReply[] = [];
  for (const { method, path, body } of sent) {
    const headers: Record<string, string> = { "x-trace": method.toLowerCase() };
    if (!path.includes("apikey=")) headers["x-api-key"] = key;
    const res = await fetch(`${gateway.proxyUrl}${path}`, { method, headers, body });
    // The client gets the main upstream's answer, never the mirror's 500.
    expect(res.status).toBe(200);
    upstreamSaw.push((await res.json()) as EchoReply);
    ids.push(res.headers.get("x-request-id") as string);
  }
  await until("every copy arrives", () => ids.every((id) => copies.some((c) => c.headers["x-request-id"] === id)));
  sent.forEach(({ method, path, body }, i) => {
    const copy = copies.find((c) => c.headers["x-request-id"] === ids[i]) as Copy;
    const main = upstreamSaw[i] as EchoReply;
    expect([copy.method, main.method]).toEqual([method, method]);
    // The route strips its prefix, and key-auth the key in the query: the copy's target is the main request's.
    expect(copy.url).toBe(main.path);
    expect(copy.url).toBe(path.replace("/shadowed", "").replace(`apikey=${key}&`, ""));
    expect([copy.body, main.body]).toEqual([body ?? "", body ?? ""]);
    expect(copy.headers["x-gatehouse-mirror"]).toBe("1");
    expect(copy.headers["x-trace"]).toBe(method.toLowerCase());
    expect(copy.headers["x-consumer-id"]).toBe(consumer.id);
    expect(copy.headers["x-api-key"]).toBeUndefined();
    expect(copy.url).not.toContain(key);
  });
  await until("the copies are counted", async () => (await mirrorCounts(mirrorId)).sent === sent.length);
});

test("[MIRROR] at 0% nothing is copied", async () => {
  const { mirrorId } = await makeApi("unshadowed", [
    { type: "mirror", config: { upstreamId: await pool("shadow-0", shadowUrl), percent: 0 } },
  ]);
  for (let i = 0; i < 20; i++) expect((await fetch(`${gateway.proxyUrl}/unshadowed/x`)).status).toBe(200);
  expect(await mirrorCounts(mirrorId)).toEqual({});
  expect(copies.filter((c) => c.url.startsWith("/unshadowed"))).toEqual([]);
});

/** Milliseconds each of `n` sequential requests took, sorted. */
async function latencies(path: string, n: number): Promise<number[]> {
  const took: number[] = [];
  for (let i = 0; i < n; i++) {
    const started = performance.now();
    const res = await fetch(`${gateway.proxyUrl}${path}`);
    await res.arrayBuffer();
    took.push(performance.now() - started);
    expect(res.status).toBe(200);
  }
  return took.sort((a, b) => a - b);
}

const p99 = (sorted: number[]) => sorted[Math.ceil(sorted.length * 0.99) - 1] as number;

test("[MIRROR] a mirror that never answers adds nothing to the client's latency; copies past maxConcurrent are dropped", async () => {
  const held: IncomingMessage[] = [];
  const hanging = createServer((req) => held.push(req));
  const { mirrorId } = await makeApi("hung", [
    {
      type: "mirror",
      config: { upstreamId: await pool("hanging", await listenLocal(hanging)), maxConcurrent: 4, timeoutMs: 20_000 },
    },
  ]);
  await makeApi("direct", []);
  try {
    const without = await latencies("/direct/x", 30);
    const mirrored = await latencies("/hung/x", 30);
    console.log(
      `p99 without a mirror ${p99(without).toFixed(1)} ms, with one that hangs 20 s ${p99(mirrored).toFixed(1)} ms`,
    );
    // Each copy hangs for 20 s: had a client waited on one, its request would take that long.
    expect(p99(mirrored)).toBeLessThan(1000);
    await until(
      "every copy is held or dropped",
      async () => held.length + ((await mirrorCounts(mirrorId)).dropped ?? 0) === 30,
    );
    // Four in flight per proxy thread, two threads.
    expect(held.length).toBeGreaterThan(0);
    expect(held.length).toBeLessThanOrEqual(8);
    expect(await mirrorCounts(mirrorId)).toEqual({ dropped: 30 - held.length });
  } finally {
    await closeServer(hanging);
  }
  // Cut off, the held copies are failures.
  await until("the held copies fail", async () => (await mirrorCounts(mirrorId)).failed === held.length);
}, 60_000);

test("[MIRROR] a mirror that refuses connections changes nothing for the client and counts each copy failed", async () => {
  const gone = createServer();
  const deadUrl = await listenLocal(gone);
  await closeServer(gone);
  const { mirrorId } = await makeApi("refused", [
    { type: "mirror", config: { upstreamId: await pool("gone", deadUrl) } },
  ]);
  for (let i = 0; i < 5; i++) {
    const res = await fetch(`${gateway.proxyUrl}/refused/x?i=${i}`, { method: "POST", body: `copy ${i}` });
    expect(res.status).toBe(200);
    expect((await res.json()) as EchoReply).toMatchObject({ method: "POST", path: `/x?i=${i}`, body: `copy ${i}` });
  }
  await until("five failures", async () => (await mirrorCounts(mirrorId)).failed === 5);
  expect(await mirrorCounts(mirrorId)).toEqual({ failed: 5 });
  // Never a line per copy: at most one a minute per policy and proxy thread (two threads).
  const lines = gateway
    .output()
    .split("\n")
    .filter((line) => line.includes(mirrorId));
  expect(lines.length).toBeGreaterThan(0);
  expect(lines.length).toBeLessThanOrEqual(2);
  expect(lines[0]).toMatch(/failed/);
});

test("[MIRROR] a body over maxBodyBytes, declared or chunked, reaches the upstream whole and is not copied", async () => {
  const { mirrorId } = await makeApi("bulky", [
    { type: "mirror", config: { upstreamId: await pool("shadow-bulky", shadowUrl), maxBodyBytes: 1024 } },
  ]);
  const big = "b".repeat(100_000);
  const declared = await fetch(`${gateway.proxyUrl}/bulky/upload`, { method: "POST", body: big });
  expect(((await declared.json()) as EchoReply).body).toBe(big);
  const chunked = await fetch(`${gateway.proxyUrl}/bulky/upload`, {
    method: "POST",
    body: new ReadableStream({
      start(controller) {
        for (let i = 0; i < 10; i++)
          controller.enqueue(new TextEncoder().encode(big.slice(i * 10_000, (i + 1) * 10_000)));
        controller.close();
      },
    }),
    duplex: "half",
  } as RequestInit);
  expect(((await chunked.json()) as EchoReply).body).toBe(big);
  const fits = await fetch(`${gateway.proxyUrl}/bulky/upload`, { method: "POST", body: "s".repeat(1024) });
  expect(((await fits.json()) as EchoReply).body).toBe("s".repeat(1024));
  const fitsChunked = await fetch(`${gateway.proxyUrl}/bulky/upload`, {
    method: "POST",
    body: new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode("small, "));
        controller.enqueue(new TextEncoder().encode("chunked"));
        controller.close();
      },
    }),
    duplex: "half",
  } as RequestInit);
  expect(((await fitsChunked.json()) as EchoReply).body).toBe("small, chunked");
  await until("the small bodies are copied", async () => (await mirrorCounts(mirrorId)).sent === 2);
  expect(await mirrorCounts(mirrorId)).toEqual({ skipped: 2, sent: 2 });
  const copied = copies.filter((c) => c.url === "/upload").map((c) => c.body);
  expect(copied.sort()).toEqual(["small, chunked", "s".repeat(1024)]);
});
