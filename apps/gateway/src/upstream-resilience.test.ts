import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { connect } from "node:net";
import { healthEventSchema, type TargetHealthState, targetHealthSchema } from "@gatehouse/shared";
import { Pool } from "undici";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type TargetSeed, TestConfigDb, type UpstreamSeed } from "./test-support/config-db.ts";
import { rawRequest } from "./test-support/http.ts";
import { closeServer, type GatewayProcess, listenLocal, startGateway } from "./test-support/servers.ts";
import { UpstreamProcess } from "./test-support/upstream-process.ts";

/** Requests a client may see fail while traffic moves off a killed target (GET, retries = 1). */
const MAX_FAILED_ON_KILL = 3;

let config: TestConfigDb;
let gateway: GatewayProcess;
let client: Pool;
const servers: Server[] = [];
const processes: UpstreamProcess[] = [];
let apiCount = 0;

beforeAll(async () => {
  config = new TestConfigDb();
  gateway = await startGateway(config.dir);
  client = new Pool(gateway.proxyUrl, { connections: 8 });
}, 30_000);

afterAll(async () => {
  await client?.close();
  await gateway?.stop();
  for (const upstream of processes) await upstream.kill();
  for (const server of servers) await closeServer(server);
  config.remove();
});

interface HealthView {
  upstreamId: string;
  targets: { targetId: string; url: string; state: TargetHealthState; inflight: number }[];
  events: { targetId: string; from: string; to: string; reason: string }[];
}

/** Creates a pool and an API on `/<prefix>` in front of it; resolves once the gateway serves it. */
async function publish(targets: TargetSeed[], settings: UpstreamSeed = {}) {
  const prefix = `/api${apiCount++}`;
  const { upstreamId, targetIds } = config.addUpstream(targets, settings);
  const { revision } = config.addApi(upstreamId, [{ paths: [prefix], stripPath: true }]);
  await gateway.waitForRevision(revision);
  return { prefix, upstreamId, targetIds };
}

async function send(
  path: string,
  init: { method?: "GET" | "POST"; body?: string; headers?: Record<string, string> } = {},
) {
  const res = await client.request({ path, method: init.method ?? "GET", body: init.body, headers: init.headers });
  const text = await res.body.text();
  return { status: res.statusCode, text, json: () => JSON.parse(text) };
}

async function health(upstreamId: string): Promise<HealthView> {
  const res = await fetch(`${gateway.statusUrl}/health/upstreams/${upstreamId}`);
  expect(res.status).toBe(200);
  return (await res.json()) as HealthView;
}

/** Polls until `check` holds, doing `between` (e.g. sending a request) each round; fails after `timeoutMs`. */
async function until(check: () => Promise<boolean>, between: () => Promise<unknown> = sleep10, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("condition not reached in time");
    await between();
  }
}
const sleep10 = () => new Promise((resolve) => setTimeout(resolve, 10));

const stateOf = async (upstreamId: string, targetId: string) =>
  (await health(upstreamId)).targets.find((target) => target.targetId === targetId)?.state;

async function startServer(handler: (req: IncomingMessage, res: ServerResponse) => void) {
  const server = createServer(handler);
  servers.push(server);
  return { server, url: await listenLocal(server) };
}

async function startProcesses(names: string[]): Promise<UpstreamProcess[]> {
  const started = await Promise.all(names.map((name) => UpstreamProcess.start(name)));
  processes.push(...started);
  return started;
}

describe("[FAILOVER] a target dies and comes back", () => {
  test("traffic moves off a killed target with at most a handful of failures; the target is marked down", async () => {
    const [a, b, c] = await startProcesses(["a", "b", "c"]);
    const { prefix, upstreamId, targetIds } = await publish(
      [{ url: a?.url as string }, { url: b?.url as string }, { url: c?.url as string }],
      { retries: 1, healthChecks: { passive: { failures: 5, cooldownMs: 3_600_000 } } },
    );
    let sent = 0;
    const failed: number[] = [];
    const worker = async (stopAt: number) => {
      while (sent < stopAt) {
        sent++;
        const res = await send(`${prefix}/item`);
        if (res.status !== 200) failed.push(res.status);
      }
    };
    await Promise.all([worker(100), worker(100), worker(100), worker(100)]);
    expect(b?.requests.length).toBeGreaterThan(20);
    await b?.kill();
    await Promise.all([worker(500), worker(500), worker(500), worker(500)]);

    expect(failed.length).toBeLessThanOrEqual(MAX_FAILED_ON_KILL);
    const view = await health(upstreamId);
    expect(view.targets.map((target) => target.state)).toEqual(["healthy", "unhealthy", "healthy"]);
    for (const target of view.targets) targetHealthSchema.parse(target);
    const event = view.events.find((e) => e.targetId === targetIds[1]);
    expect(healthEventSchema.parse(event)).toMatchObject({ from: "healthy", to: "unhealthy" });
    expect(event?.reason).toMatch(/^5 consecutive failed requests/);
    expect(gateway.output()).toMatch(/health: .* healthy -> unhealthy: 5 consecutive failed requests/);
  }, 30_000);

  test("active checks bring a restarted target back and it gets traffic again", async () => {
    const [a, b] = await startProcesses(["a2", "b2"]);
    const { prefix, upstreamId, targetIds } = await publish([{ url: a?.url as string }, { url: b?.url as string }], {
      // A killed target refuses at once; the long timeout only keeps a slow host from failing a live one's probes.
      healthChecks: {
        active: { enabled: true, path: "/healthz", intervalMs: 100, timeoutMs: 2_000, unhealthyThreshold: 2 },
        passive: { cooldownMs: 3_600_000 },
      },
    });
    const bId = targetIds[1] as string;
    await b?.kill();
    await until(async () => (await stateOf(upstreamId, bId)) === "unhealthy");
    await b?.restart();
    await until(async () => (await stateOf(upstreamId, bId)) === "healthy");

    const before = b?.requests.filter((line) => line.includes("/item")).length ?? 0;
    for (let i = 0; i < 10; i++) expect((await send(`${prefix}/item`)).status).toBe(200);
    const after = b?.requests.filter((line) => line.includes("/item")).length ?? 0;
    expect(after - before).toBeGreaterThanOrEqual(4);
    const reasons = (await health(upstreamId)).events.map((e) => `${e.from}>${e.to}: ${e.reason}`);
    expect(reasons[0]).toBe("unhealthy>healthy: 2 consecutive probes passed");
    expect(reasons[1]).toMatch(/^healthy>unhealthy: 2 consecutive probes failed, last: probe failed: /);
  }, 30_000);

  test("without active checks, a half-open trial after the cool-down decides: fails while down, heals once up", async () => {
    const [a, b] = await startProcesses(["a3", "b3"]);
    const { prefix, upstreamId, targetIds } = await publish([{ url: a?.url as string }, { url: b?.url as string }], {
      healthChecks: { passive: { failures: 2, cooldownMs: 300 } },
    });
    const bId = targetIds[1] as string;
    const request = async () => expect((await send(`${prefix}/item`)).status).toBe(200);
    await b?.kill();
    const transitions = async () => (await health(upstreamId)).events.map((e) => `${e.from}>${e.to}`);
    await until(async () => (await transitions()).includes("half-open>unhealthy"), request);
    await b?.restart();
    await until(async () => (await stateOf(upstreamId, bId)) === "healthy", request);

    const before = b?.requests.length ?? 0;
    for (let i = 0; i < 10; i++) await request();
    expect((b?.requests.length ?? 0) - before).toBeGreaterThanOrEqual(4);
    const events = (await health(upstreamId)).events.reverse();
    expect(events.map((e) => `${e.from}>${e.to}`)).toEqual([
      "healthy>unhealthy",
      "unhealthy>half-open",
      "half-open>unhealthy",
      ...events.slice(3, -2).map((e) => `${e.from}>${e.to}`),
      "unhealthy>half-open",
      "half-open>healthy",
    ]);
    expect(events.at(-1)?.reason).toBe("trial request succeeded");
    expect(events[1]?.reason).toBe("cool-down of 300 ms elapsed");
    expect(events[2]?.reason).toMatch(/^trial request failed: .*ECONNREFUSED/);
  }, 30_000);
});

describe("[TIMEOUT] a hung target", () => {
  test("trips the read timeout (504) and then the breaker (503 no_healthy_upstream)", async () => {
    const hung = await startServer(() => {});
    const { prefix, upstreamId, targetIds } = await publish([{ url: hung.url }], {
      readTimeoutMs: 300,
      healthChecks: { passive: { failures: 2, cooldownMs: 3_600_000 } },
    });
    const first = await send(`${prefix}/x`);
    expect(first.status).toBe(504);
    expect(first.json().error.code).toBe("upstream_timeout");
    expect((await send(`${prefix}/x`)).status).toBe(504);
    const third = await send(`${prefix}/x`);
    expect(third.status).toBe(503);
    expect(third.json().error.code).toBe("no_healthy_upstream");
    expect(await stateOf(upstreamId, targetIds[0] as string)).toBe("unhealthy");
    hung.server.closeAllConnections();
  }, 15_000);
});

describe("[BALANCE] algorithms through the gateway", () => {
  test("least-connections sends new requests to the idle target while the other holds slow ones", async () => {
    const held: ServerResponse[] = [];
    const slow = await startServer((req, res) => {
      if (req.url?.includes("/hold")) held.push(res);
      else res.end("slow");
    });
    const idle = await startServer((_req, res) => res.end("idle"));
    const { prefix, upstreamId } = await publish([{ url: slow.url }, { url: idle.url }], {
      algorithm: "least-connections",
    });
    // Holds go to either target; the idle one answers them at once, the slow one keeps them.
    const pending: Promise<unknown>[] = [];
    await until(
      async () => held.length >= 1,
      async () => {
        pending.push(send(`${prefix}/hold`));
        await sleep10();
      },
    );
    expect((await health(upstreamId)).targets.map((target) => target.inflight)).toEqual([1, 0]);
    const answers = [];
    for (let i = 0; i < 20; i++) answers.push((await send(`${prefix}/quick`)).text);
    expect(answers).toEqual(Array(20).fill("idle"));
    for (const res of held) res.end("released");
    await Promise.all(pending);
  }, 15_000);

  test("consistent hashing on a header keeps each key on one target", async () => {
    const echo = await startServer((req, res) => res.end(req.url));
    const { prefix } = await publish(
      [{ url: `${echo.url}/t0` }, { url: `${echo.url}/t1` }, { url: `${echo.url}/t2` }],
      { algorithm: "consistent-hash", hashOn: { by: "header", header: "x-user" } },
    );
    const targetOf = async (user: string) =>
      (await send(`${prefix}/x`, { headers: { "x-user": user } })).text.slice(0, 3);
    const first = new Map<string, string>();
    for (let i = 0; i < 30; i++) first.set(`user-${i}`, await targetOf(`user-${i}`));
    expect(new Set(first.values()).size).toBe(3);
    for (let round = 0; round < 2; round++) {
      for (const [user, target] of first) expect(await targetOf(user)).toBe(target);
    }
  }, 15_000);
});

describe("[RETRY] only when safe, within a budget", () => {
  test("a POST the target read and reset is not retried (502); a GET is retried on the other target", async () => {
    const seen = { reset: [] as string[], echo: [] as string[] };
    const resetting = await startServer((req) => {
      seen.reset.push(`${req.method}`);
      req.resume();
      req.on("end", () => req.socket.destroy());
    });
    const echo = await startServer((req, res) => {
      seen.echo.push(`${req.method}`);
      req.resume();
      req.on("end", () => res.end("ok"));
    });
    const { prefix } = await publish([{ url: resetting.url }, { url: echo.url }], {
      healthChecks: { passive: { enabled: false } },
    });
    const posts = [];
    for (let i = 0; i < 4; i++) posts.push((await send(`${prefix}/order`, { method: "POST", body: "x" })).status);
    expect(posts.toSorted()).toEqual([200, 200, 502, 502]);
    expect(seen.reset.filter((m) => m === "POST")).toHaveLength(2);
    expect(seen.echo.filter((m) => m === "POST")).toHaveLength(2);

    const gets = [];
    for (let i = 0; i < 4; i++) gets.push((await send(`${prefix}/order`)).status);
    expect(gets).toEqual([200, 200, 200, 200]);
    expect(seen.reset.filter((m) => m === "GET")).toHaveLength(2);
    expect(seen.echo.filter((m) => m === "GET")).toHaveLength(4);
  }, 15_000);

  test("when every target fails, the retry budget keeps retries from multiplying the load", async () => {
    let attempts = 0;
    const failing = async () =>
      startServer((req) => {
        attempts++;
        req.socket.destroy();
      });
    const targets = await Promise.all([failing(), failing(), failing()]);
    const { prefix, upstreamId } = await publish(
      targets.map((t) => ({ url: t.url })),
      { retries: 5, healthChecks: { passive: { enabled: false } } },
    );
    const REQUESTS = 200;
    for (let i = 0; i < REQUESTS; i++) expect((await send(`${prefix}/x`)).status).toBe(502);
    // Without a budget: 200 × (1 + 2 other targets) = 600 attempts. With it: 200 + 20% + the 10/s reserve.
    expect(attempts).toBeGreaterThan(REQUESTS);
    expect(attempts).toBeLessThan(REQUESTS * 1.75);
    const metrics = await (await fetch(`${gateway.statusUrl}/metrics`)).text();
    const denied = new RegExp(`gatehouse_upstream_retries_denied_total\\{upstream_id="${upstreamId}"[^}]*\\} (\\d+)`);
    expect(Number(denied.exec(metrics)?.[1])).toBeGreaterThan(0);
  }, 15_000);
});

describe("[STATUS] health and metrics endpoints", () => {
  test("an unknown upstream is a 404 JSON error; /metrics has revision, target and process metrics", async () => {
    const missing = await rawRequest(`${gateway.statusUrl}/health/upstreams/ups_nope`);
    expect(missing.status).toBe(404);
    expect(missing.json()).toMatchObject({ error: { code: "not_found" } });

    const echo = await startServer((_req, res) => res.end("ok"));
    const { upstreamId } = await publish([{ url: echo.url }]);
    const metrics = await rawRequest(`${gateway.statusUrl}/metrics`);
    expect(metrics.headers["content-type"]).toMatch(/^text\/plain; version=0.0.4/);
    const { revision } = await gateway.readyz().then((r) => r.body);
    expect(metrics.text).toContain(`gatehouse_config_revision ${revision}`);
    expect(metrics.text).toMatch(
      new RegExp(
        `gatehouse_upstream_target_healthy\\{upstream_id="${upstreamId}",upstream="[^"]+",target="${echo.url}",target_id="tgt_[^"]+"\\} 1`,
      ),
    );
    expect(metrics.text).toMatch(new RegExp(`gatehouse_upstream_target_inflight\\{upstream_id="${upstreamId}".*\\} 0`));
    for (const name of ["process_resident_memory_bytes", "process_cpu_seconds_total", "process_uptime_seconds"]) {
      expect(metrics.text).toMatch(new RegExp(`^${name} [0-9.e+]+$`, "m"));
    }
  });
});

describe("[TIMEOUT] send timeout", () => {
  test("a client that stalls its upload is cut off without blaming the target", async () => {
    let aborted = false;
    const echo = await startServer((req, res) => {
      req.on("aborted", () => {
        aborted = true;
      });
      req.resume();
      req.on("end", () => res.end("ok"));
    });
    const { prefix, upstreamId, targetIds } = await publish([{ url: echo.url }], {
      sendTimeoutMs: 200,
      healthChecks: { passive: { failures: 1 } },
    });
    const { port } = new URL(gateway.proxyUrl);
    const socket = connect(Number(port), "127.0.0.1");
    socket.write(`POST ${prefix}/upload HTTP/1.1\r\nhost: x\r\ncontent-length: 10\r\n\r\nab`);
    let answer = "";
    socket.on("data", (chunk: Buffer) => {
      answer += chunk.toString();
    });
    await new Promise((resolve) => socket.once("close", resolve));
    // The 400 races the reset of the half-sent upload; either way the connection ends.
    if (answer !== "") expect(answer).toMatch(/^HTTP\/1\.1 400 [\s\S]*"bad_request"/);
    await until(async () => aborted);
    expect(await stateOf(upstreamId, targetIds[0] as string)).toBe("healthy");
  }, 15_000);
});
