import { createServer, type Server } from "node:http";
import { apis, routes, targets } from "@gatehouse/db";
import { eq } from "drizzle-orm";
import { Pool } from "undici";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { TestConfigDb } from "./test-support/config-db.ts";
import { rawRequest } from "./test-support/http.ts";
import { closeServer, type GatewayProcess, listenLocal, startEcho, startGateway } from "./test-support/servers.ts";

interface Echo {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  body?: string;
}

let config: TestConfigDb;
let gateway: GatewayProcess;
let echo: { server: Server; url: string };
const extraServers: Server[] = [];

beforeAll(async () => {
  echo = await startEcho();
  config = new TestConfigDb();
  gateway = await startGateway(config.dir);
}, 30_000);

afterAll(async () => {
  await gateway?.stop();
  await closeServer(echo.server);
  for (const server of extraServers) await closeServer(server);
  config.remove();
});

const get = (path: string, headers: Record<string, string> = {}) =>
  rawRequest(`${gateway.proxyUrl}${path}`, { headers });

test("[CONFIG] readyz reports the live revision", async () => {
  const { status, body } = await gateway.readyz();
  expect(status).toBe(200);
  expect(body).toMatchObject({ revision: 0, routes: 0, apis: 0, error: null });
  expect((await fetch(`${gateway.statusUrl}/healthz`).then((r) => r.json())) as unknown).toEqual({ status: "ok" });
});

describe("[PROXY] forwarding", () => {
  test("a route forwards the stripped path, the query untouched, and X-Forwarded-* / X-Request-Id", async () => {
    const { upstreamId } = config.addUpstream([{ url: `${echo.url}/base` }]);
    const { revision } = config.addApi(upstreamId, [{ paths: ["/demo"] }]);
    await gateway.waitForRevision(revision);

    const res = await get("/demo/users?x=1&y=%20z", { "x-forwarded-for": "10.0.0.1" });
    expect(res.status).toBe(200);
    const body = res.json<Echo>();
    expect(body.path).toBe("/base/users?x=1&y=%20z");
    expect(body.query).toEqual({ x: "1", y: " z" });
    expect(body.headers["x-forwarded-for"]).toBe("10.0.0.1, 127.0.0.1");
    expect(body.headers["x-forwarded-proto"]).toBe("http");
    expect(body.headers["x-forwarded-host"]).toBe(new URL(gateway.proxyUrl).host);
    expect(body.headers.host).toBe(new URL(echo.url).host);
    expect(body.headers["x-request-id"]).toMatch(/^req_/);
    expect(res.headers["x-request-id"]).toBe(body.headers["x-request-id"]);

    const kept = await get("/demo", { "x-request-id": "trace-123" });
    expect(kept.json<Echo>().path).toBe("/base/");
    expect(kept.json<Echo>().headers["x-request-id"]).toBe("trace-123");
    expect(kept.headers["x-request-id"]).toBe("trace-123");
  });

  test("a POST body streams through", async () => {
    const res = await rawRequest(`${gateway.proxyUrl}/demo/post`, {
      method: "POST",
      body: "hello",
      headers: { "content-type": "text/plain" },
    });
    expect(res.json<Echo>()).toMatchObject({ method: "POST", path: "/base/post", body: "hello" });
  });

  test("hop-by-hop headers are stripped both ways", async () => {
    const upstream = createServer((_req, res) => {
      res.setHeader("connection", "x-private");
      res.setHeader("x-private", "1");
      res.setHeader("proxy-thing", "1");
      res.setHeader("x-public", "1");
      res.end("ok");
    });
    extraServers.push(upstream);
    const { upstreamId } = config.addUpstream([{ url: await listenLocal(upstream) }]);
    const { revision } = config.addApi(upstreamId, [{ paths: ["/hop-out"] }]);
    await gateway.waitForRevision(revision);

    const sent = await get("/demo/h", {
      connection: "keep-alive, x-secret",
      "x-secret": "s",
      "keep-alive": "timeout=5",
      te: "trailers",
      "proxy-authorization": "Basic eA==",
      "x-normal": "n",
    });
    const seen = sent.json<Echo>().headers;
    expect(seen["x-normal"]).toBe("n");
    for (const name of ["x-secret", "keep-alive", "te", "proxy-authorization", "transfer-encoding"]) {
      expect(seen[name], name).toBeUndefined();
    }
    expect(seen.connection).not.toContain("x-secret");

    const back = await get("/hop-out");
    expect(back.status).toBe(200);
    expect(back.headers["x-public"]).toBe("1");
    expect(back.headers["x-private"]).toBeUndefined();
    expect(back.headers["proxy-thing"]).toBeUndefined();
  });
});

describe("[CONFIG] changes go live", () => {
  test("disable → 503 api_disabled, enable → 200, new route, deleted route → 404", async () => {
    const { upstreamId } = config.addUpstream([{ url: echo.url }]);
    const { apiId, revision } = config.addApi(upstreamId, [{ paths: ["/toggle"] }]);
    await gateway.waitForRevision(revision);
    expect((await get("/toggle")).status).toBe(200);

    const off = config.change({ type: "api", id: apiId }, (tx) => {
      tx.update(apis).set({ enabled: false }).where(eq(apis.id, apiId)).run();
    });
    await gateway.waitForRevision(off);
    const disabled = await get("/toggle/x");
    expect(disabled.status).toBe(503);
    expect(disabled.json()).toEqual({
      error: { code: "api_disabled", message: expect.any(String), requestId: disabled.headers["x-request-id"] },
    });

    const on = config.change({ type: "api", id: apiId }, (tx) => {
      tx.update(apis).set({ enabled: true }).where(eq(apis.id, apiId)).run();
    });
    await gateway.waitForRevision(on);
    expect((await get("/toggle")).status).toBe(200);

    const added = config.addApi(upstreamId, [{ paths: ["/fresh/:id"], pathType: "exact", rewritePath: "/items/:id" }]);
    await gateway.waitForRevision(added.revision);
    expect((await get("/fresh/7")).json<Echo>().path).toBe("/items/7");

    const removed = config.change({ type: "route", id: added.routeIds[0] as string, action: "delete" }, (tx) => {
      tx.delete(routes)
        .where(eq(routes.id, added.routeIds[0] as string))
        .run();
    });
    await gateway.waitForRevision(removed);
    const gone = await get("/fresh/7");
    expect(gone.status).toBe(404);
    expect(gone.json<{ error: { code: string } }>().error.code).toBe("no_route");
  });

  test("a config that fails to compile is shown on readyz while the old one serves", async () => {
    const { upstreamId } = config.addUpstream([{ url: echo.url }]);
    const { routeIds, revision } = config.addApi(upstreamId, [{ paths: ["/stable"] }]);
    await gateway.waitForRevision(revision);
    const bad = config.change({ type: "route", id: routeIds[0] as string }, (tx) => {
      tx.update(routes)
        .set({ paths: ["not a path"] })
        .where(eq(routes.id, routeIds[0] as string))
        .run();
    });
    for (;;) {
      const { status, body } = await gateway.readyz();
      if (body.error !== null) {
        expect(status).toBe(200);
        expect(body.revision).toBe(revision);
        expect(String(body.error)).toContain(`revision ${bad}`);
        break;
      }
      await new Promise((r) => setTimeout(r, 10));
    }
    expect((await get("/stable")).status).toBe(200);
    const fixed = config.change({ type: "route", id: routeIds[0] as string }, (tx) => {
      tx.update(routes)
        .set({ paths: ["/stable"] })
        .where(eq(routes.id, routeIds[0] as string))
        .run();
    });
    expect((await gateway.waitForRevision(fixed)).error).toBeNull();
  });
});

describe("[UPSTREAM] failures and balancing", () => {
  test("no enabled target → 503, refused → 502, hanging → 504", async () => {
    const none = config.addUpstream([{ url: echo.url, enabled: false }]);
    config.addApi(none.upstreamId, [{ paths: ["/none"] }]);

    const closed = createServer();
    const deadUrl = await listenLocal(closed);
    await closeServer(closed);
    const down = config.addUpstream([{ url: deadUrl }]);
    config.addApi(down.upstreamId, [{ paths: ["/down"] }]);

    const hanging = createServer(() => {
      // Never answers.
    });
    extraServers.push(hanging);
    const slow = config.addUpstream([{ url: await listenLocal(hanging) }], { readTimeoutMs: 200 });
    const { revision } = config.addApi(slow.upstreamId, [{ paths: ["/hang"] }]);
    await gateway.waitForRevision(revision);

    const codes = async (path: string) => {
      const res = await get(path);
      return [res.status, res.json<{ error: { code: string } }>().error.code];
    };
    expect(await codes("/none")).toEqual([503, "no_healthy_upstream"]);
    expect(await codes("/down")).toEqual([502, "upstream_unavailable"]);
    expect(await codes("/hang")).toEqual([504, "upstream_timeout"]);
    expect(await codes("/nowhere-at-all")).toEqual([404, "no_route"]);
  });

  test("smooth weighted round-robin spreads by weight", async () => {
    const { upstreamId } = config.addUpstream([
      { url: `${echo.url}/a`, weight: 300 },
      { url: `${echo.url}/b`, weight: 100 },
    ]);
    const { revision } = config.addApi(upstreamId, [{ paths: ["/weighted"] }]);
    await gateway.waitForRevision(revision);
    // Each proxy worker balances the connections it accepted (as nginx does without a shared
    // zone): one keep-alive connection reaches one worker, whose sequence this checks.
    const client = new Pool(gateway.proxyUrl, { connections: 1 });
    const counts: Record<string, number> = {};
    for (let i = 0; i < 40; i++) {
      const res = await client.request({ path: "/weighted", method: "GET" });
      const path = ((await res.body.json()) as Echo).path;
      counts[path] = (counts[path] ?? 0) + 1;
    }
    await client.close();
    expect(counts).toEqual({ "/a/": 30, "/b/": 10 });
  });

  test("a target switched off stops receiving traffic", async () => {
    const { upstreamId, targetIds } = config.addUpstream([{ url: `${echo.url}/a` }, { url: `${echo.url}/b` }]);
    config.addApi(upstreamId, [{ paths: ["/drainable"] }]);
    const off = config.change({ type: "target", id: targetIds[1] as string }, (tx) => {
      tx.update(targets)
        .set({ enabled: false })
        .where(eq(targets.id, targetIds[1] as string))
        .run();
    });
    await gateway.waitForRevision(off);
    for (let i = 0; i < 6; i++) expect((await get("/drainable")).json<Echo>().path).toBe("/a/");
  });
});
