import { currentRevision, NODE_HEADERS, openAnalyticsDbForWriting } from "@gatehouse/db";
import { LatencyHistogram } from "@gatehouse/shared";
import { afterAll, beforeAll, expect, test } from "vitest";
import { issueSetupToken } from "../auth/setup-token.ts";
import {
  type AdminApiHarness,
  cookieOf,
  startAdminApi,
  TEST_ORIGIN,
  TEST_TOKEN,
} from "../test-support/admin-api-harness.ts";
import { type RunningGateway, startGatewayProcess } from "../test-support/gateway-process.ts";
import { OpenApiChecker, type OpenApiDoc } from "../test-support/openapi-checker.ts";
import { makeCertificate } from "../test-support/test-certificates.ts";

/** `bare` has no gateway (its relays answer 503); `h` is the same data dir with the real gateway's status port. */
let bare: AdminApiHarness;
let h: AdminApiHarness;
let gateway: RunningGateway;
let checker: OpenApiChecker;
const ADMIN = { email: "ops@example.com", password: "correct horse battery" };
/** The last successful request of each operation, replayed with unknown fields and ids. */
const successes = new Map<string, { url: string; body: unknown }>();

type Auth = "token" | "none" | { cookie: string; origin?: string } | { node: string };
interface Call {
  body?: unknown;
  auth?: Auth;
  via?: AdminApiHarness;
  contentType?: string;
  headers?: Record<string, string>;
}

async function call(
  method: string,
  url: string,
  { body, auth = "token", via = h, contentType, headers: extra }: Call = {},
) {
  const headers: Record<string, string> = { ...extra };
  if (auth === "token") headers.authorization = `Bearer ${TEST_TOKEN}`;
  if (typeof auth === "object" && "node" in auth)
    Object.assign(headers, { authorization: `Bearer ${auth.node}`, [NODE_HEADERS.id]: "node-openapi" });
  else if (typeof auth === "object")
    Object.assign(headers, { cookie: auth.cookie, origin: auth.origin ?? TEST_ORIGIN });
  if (body !== undefined) headers["content-type"] = contentType ?? "application/json";
  const response = await via.app.request(`${TEST_ORIGIN}/api/v1${url}`, {
    method: method.toUpperCase(),
    headers,
    ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
  });
  const text = await response.text();
  checker.check(method, url, response.status, response.headers.get("content-type"), text);
  if (response.status < 300) successes.set(checker.operationOf(method, url), { url, body });
  // biome-ignore lint/suspicious/noExplicitAny: tests read whatever JSON came back
  const json: any = response.headers.get("content-type")?.startsWith("application/json") ? JSON.parse(text) : null;
  return { status: response.status, json, text, headers: response.headers };
}

/** Asserts the status, so a wrong answer fails at its step; the body was checked against the document already. */
async function expectStatus(status: number, method: string, url: string, options: Call = {}) {
  const res = await call(method, url, options);
  expect([method, url, res.status, res.status === status ? "" : res.text]).toEqual([method, url, status, ""]);
  return res;
}

/** One request two hours ago in every rollup table; returns its time (epoch ms). */
function seedTraffic(dataDir: string, apiId: string, consumerId: string): number {
  const histogram = new LatencyHistogram();
  histogram.add(12);
  const t = Math.floor((Date.now() - 7_200_000) / 3_600_000) * 3600;
  const db = openAnalyticsDbForWriting(dataDir);
  for (const table of ["traffic_1s", "traffic_1m", "traffic_1h"]) {
    db.$client
      .prepare(`INSERT INTO ${table} VALUES (?, ?, 'rte_1', ?, 2, 1, 10, 100, 0, 0, 0, ?)`)
      .run(t, apiId, consumerId, histogram.encode());
  }
  db.$client.close();
  return t * 1000;
}

let pool: string;
let apiId: string;
let consumerId: string;

beforeAll(async () => {
  bare = startAdminApi();
  gateway = await startGatewayProcess(bare.dataDir);
  h = startAdminApi({ dataDir: bare.dataDir, gatewayStatusUrl: gateway.statusUrl, gatewayProxyUrl: gateway.proxyUrl });
  const doc = (
    await h.app.request("/api/v1/openapi.json", { headers: { authorization: `Bearer ${TEST_TOKEN}` } })
  ).json();
  checker = new OpenApiChecker((await doc) as OpenApiDoc, "/api/v1");
}, 40_000);
afterAll(async () => {
  await gateway?.stop();
  h?.close();
  bare?.close();
});

test("sign-in: setup, login, sessions, logout", async () => {
  await expectStatus(200, "get", "/openapi.json");
  await expectStatus(200, "get", "/auth/status", { auth: "none" });
  await expectStatus(400, "post", "/auth/setup", { auth: { cookie: "" }, body: { email: "x" } });
  await expectStatus(403, "post", "/auth/setup", { auth: { cookie: "" }, body: { ...ADMIN, token: "wrong" } });
  const token = issueSetupToken(h.db) as string;
  await expectStatus(201, "post", "/auth/setup", { auth: { cookie: "" }, body: { ...ADMIN, token } });
  const login = await expectStatus(200, "post", "/auth/login", { auth: { cookie: "" }, body: ADMIN });
  const cookie = { cookie: cookieOf(login.headers) };
  const second = cookieOf(
    (await expectStatus(200, "post", "/auth/login", { auth: { cookie: "" }, body: ADMIN })).headers,
  );
  await expectStatus(403, "post", "/auth/login", { auth: { cookie: "", origin: "https://evil.test" }, body: ADMIN });
  await expectStatus(400, "post", "/auth/login", { auth: { cookie: "" }, body: { email: ADMIN.email } });
  const wrong = { ...ADMIN, password: "not the password" };
  for (let i = 0; i < 5; i++) await expectStatus(401, "post", "/auth/login", { auth: { cookie: "" }, body: wrong });
  await expectStatus(429, "post", "/auth/login", { auth: { cookie: "" }, body: wrong });

  const sessions = await expectStatus(200, "get", "/auth/sessions", { auth: cookie });
  await expectStatus(403, "get", "/auth/sessions");
  await expectStatus(404, "delete", "/auth/sessions/ses_nope", { auth: cookie });
  await expectStatus(403, "delete", "/auth/sessions/ses_nope", { auth: { ...cookie, origin: "https://evil.test" } });
  const other = sessions.json.data.find((s: { current: boolean }) => !s.current);
  await expectStatus(204, "delete", `/auth/sessions/${other.id}`, { auth: cookie });
  await expectStatus(204, "post", "/auth/logout", { auth: { cookie: second } });
  sessionCookie = cookie;
}, 30_000);
let sessionCookie: { cookie: string };

test("upstreams and targets, with duplicate URLs refused", async () => {
  const targets = [{ url: "http://127.0.0.1:9" }, { url: "http://127.0.0.1:10" }];
  const dup = await expectStatus(409, "post", "/upstreams", {
    body: { name: "dup", targets: [{ url: "http://a" }, { url: "http://a:80/" }] },
  });
  expect(dup.json.error.message).toContain("http://a");
  expect(dup.json.error.fields).toEqual([{ path: "targets.1.url", message: "Same URL as http://a" }]);
  pool = (await expectStatus(201, "post", "/upstreams", { body: { name: "main", targets } })).json.id;
  const spare = (await expectStatus(201, "post", "/upstreams", { body: { name: "spare", targets: [targets[0]] } }))
    .json;
  await expectStatus(409, "post", "/upstreams", { body: { name: "main", targets } });
  await expectStatus(415, "post", "/upstreams", { body: "name=x", contentType: "text/plain" });
  await expectStatus(413, "post", "/upstreams", { body: JSON.stringify({ name: "x".repeat(1_100_000) }) });
  await expectStatus(403, "post", "/upstreams", { auth: { ...sessionCookie, origin: "https://evil.test" }, body: {} });
  await expectStatus(200, "get", "/upstreams");
  await expectStatus(200, "get", `/upstreams/${pool}`);
  const nested = await expectStatus(400, "patch", `/upstreams/${pool}`, {
    body: { healthChecks: { active: { foo: 1 } } },
  });
  expect(nested.json.error.fields).toEqual([{ path: "healthChecks.active.foo", message: "unknown field" }]);
  await expectStatus(200, "patch", `/upstreams/${pool}`, { body: { retries: 2 } });
  await expectStatus(409, "patch", `/upstreams/${pool}`, { body: { name: "spare" } });
  await expectStatus(200, "get", `/upstreams/${pool}/health`);
  const list = await expectStatus(200, "get", `/upstreams/${pool}/targets`);
  const [first, secondTarget] = list.json.data as { id: string }[];
  await expectStatus(409, "post", `/upstreams/${pool}/targets`, { body: { url: "HTTP://127.0.0.1:9/" } });
  const added = await expectStatus(201, "post", `/upstreams/${pool}/targets`, { body: { url: "http://127.0.0.1:11" } });
  await expectStatus(409, "patch", `/upstreams/${pool}/targets/${secondTarget?.id}`, {
    body: { url: "http://127.0.0.1:9" },
  });
  await expectStatus(200, "patch", `/upstreams/${pool}/targets/${first?.id}`, { body: { weight: 5 } });
  await expectStatus(204, "delete", `/upstreams/${pool}/targets/${added.json.id}`);
  await expectStatus(409, "delete", `/upstreams/${spare.id}/targets/${spare.targets[0].id}`);
  await expectStatus(204, "delete", `/upstreams/${spare.id}`);
}, 30_000);

test("APIs and routes", async () => {
  const routes = [{ paths: ["/orders"] }];
  apiId = (await expectStatus(201, "post", "/apis", { body: { name: "orders", upstreamId: pool, routes } })).json.id;
  const other = (
    await expectStatus(201, "post", "/apis", {
      body: { name: "other", upstreamId: pool, routes: [{ paths: ["/other"] }] },
    })
  ).json;
  await expectStatus(409, "post", "/apis", { body: { name: "orders", upstreamId: pool, routes: [{ paths: ["/x"] }] } });
  await expectStatus(404, "post", "/apis", {
    body: { name: "nowhere", upstreamId: "ups_nope", routes: [{ paths: ["/y"] }] },
  });
  await expectStatus(409, "delete", `/upstreams/${pool}`);
  await expectStatus(200, "get", "/apis");
  await expectStatus(200, "get", `/apis/${apiId}`);
  await expectStatus(200, "patch", `/apis/${apiId}`, { body: { description: "Orders" } });
  await expectStatus(409, "patch", `/apis/${apiId}`, { body: { name: "other" } });
  await expectStatus(200, "get", `/apis/${apiId}/routes`);
  await expectStatus(202, "delete", `/apis/${apiId}/cache?prefix=/orders/v1`);
  await expectStatus(400, "delete", `/apis/${apiId}/cache?prefix=orders`);
  await expectStatus(404, "delete", "/apis/api_nope/cache");
  const orders = { get: { parameters: [{ name: "limit", in: "query", schema: { type: "integer" } }] } };
  const document = { openapi: "3.1.0", paths: { "/orders": orders } };
  await expectStatus(200, "post", `/apis/${apiId}/openapi`, { body: { document, dryRun: true } });
  await expectStatus(400, "post", `/apis/${apiId}/openapi`, { body: { document: { swagger: "2.0" } } });
  const imported = { openapi: "3.1.0", info: { title: "Imported" }, paths: { "/imported": orders } };
  await expectStatus(200, "post", "/openapi/import", { body: { document: imported, upstreamId: pool, dryRun: true } });
  await expectStatus(400, "post", "/openapi/import", { body: { document: imported } });
  await expectStatus(404, "post", "/openapi/import", { body: { document: imported, upstreamId: "ups_nope" } });
  const route = (await expectStatus(201, "post", `/apis/${apiId}/routes`, { body: { paths: ["/orders/v2"] } })).json;
  await expectStatus(409, "post", `/apis/${apiId}/routes`, { body: { paths: ["/other"] } });
  await expectStatus(200, "get", `/apis/${apiId}/routes/${route.id}`);
  await expectStatus(200, "patch", `/apis/${apiId}/routes/${route.id}`, { body: { priority: 3 } });
  await expectStatus(409, "patch", `/apis/${apiId}/routes/${route.id}`, { body: { paths: ["/other"] } });
  await expectStatus(204, "delete", `/apis/${apiId}/routes/${route.id}`);
  await expectStatus(409, "delete", `/apis/${other.id}/routes/${other.routes[0].id}`);
  await expectStatus(204, "delete", `/apis/${other.id}`);
});

test("consumers, keys and plans", async () => {
  const plan = (await expectStatus(201, "post", "/plans", { body: { name: "Pro", limits: { minute: 600 } } })).json;
  await expectStatus(409, "post", "/plans", { body: { name: "Pro" } });
  const free = (await expectStatus(201, "post", "/plans", { body: { name: "Free" } })).json;
  await expectStatus(200, "get", "/plans");
  await expectStatus(200, "get", `/plans/${plan.id}`);
  await expectStatus(200, "patch", `/plans/${plan.id}`, { body: { description: "More" } });
  await expectStatus(409, "patch", `/plans/${plan.id}`, { body: { name: "Free" } });
  consumerId = (await expectStatus(201, "post", "/consumers", { body: { name: "acme", planId: plan.id } })).json.id;
  const other = (await expectStatus(201, "post", "/consumers", { body: { name: "globex" } })).json;
  await expectStatus(409, "post", "/consumers", { body: { name: "acme" } });
  await expectStatus(409, "delete", `/plans/${plan.id}`);
  await expectStatus(200, "get", "/consumers");
  await expectStatus(200, "get", `/consumers/${consumerId}`);
  await expectStatus(200, "patch", `/consumers/${consumerId}`, { body: { groups: ["gold"] } });
  await expectStatus(409, "patch", `/consumers/${consumerId}`, { body: { name: "globex" } });
  const key = (await expectStatus(201, "post", `/consumers/${consumerId}/keys`, { body: { name: "ci" } })).json;
  await expectStatus(200, "get", `/consumers/${consumerId}/keys`);
  await expectStatus(200, "get", `/consumers/${consumerId}/keys/${key.id}`);
  await expectStatus(201, "post", `/consumers/${consumerId}/keys/${key.id}/rotate`, {
    body: { gracePeriodSeconds: 0 },
  });
  await expectStatus(200, "post", `/consumers/${consumerId}/keys/${key.id}/revoke`);
  await expectStatus(409, "post", `/consumers/${consumerId}/keys/${key.id}/rotate`, { body: {} });
  await expectStatus(204, "delete", `/consumers/${other.id}`);
  await expectStatus(204, "delete", `/plans/${free.id}`);
});

test("certificates: the public part answered, a bad PEM a 400", async () => {
  const pair = makeCertificate({ cn: "openapi.example.com", dns: ["openapi.example.com"] });
  const created = (await expectStatus(201, "post", "/certificates", { body: pair })).json;
  await expectStatus(400, "post", "/certificates", { body: { ...pair, cert: "nope" } });
  await expectStatus(200, "get", "/certificates");
  await expectStatus(200, "get", `/certificates/${created.id}`);
  await expectStatus(400, "patch", `/certificates/${created.id}`, { body: { ...pair, key: "nope" } });
  await expectStatus(200, "patch", `/certificates/${created.id}`, { body: pair });
  await expectStatus(204, "delete", `/certificates/${created.id}`);
});

test("policies: each type's config in the document, secrets left out of answers", async () => {
  await expectStatus(200, "get", "/policy-types");
  const misspelt = await expectStatus(400, "post", "/policies", {
    body: { type: "rate-limit", config: { minute: 5 } },
  });
  expect(misspelt.json.error).toMatchObject({
    code: "validation_failed",
    fields: [{ path: "config.minute", message: "unknown field" }],
  });
  const limit = (
    await expectStatus(201, "post", "/policies", {
      body: { type: "rate-limit", apiId, config: { limits: { minute: 5 } } },
    })
  ).json;
  await expectStatus(409, "post", "/policies", { body: { type: "rate-limit", apiId } });
  const secret = "s".repeat(40);
  const jwt = await expectStatus(201, "post", "/policies", {
    body: { type: "jwt", config: { algorithms: ["HS256"], secret } },
  });
  expect(jwt.text).not.toContain(secret);
  await expectStatus(200, "get", "/policies");
  await expectStatus(200, "get", `/policies/${limit.id}`);
  const patch = await expectStatus(400, "patch", `/policies/${limit.id}`, {
    body: { config: { limits: { minute: 5, fortnight: 1 } } },
  });
  expect(patch.json.error.fields).toEqual([{ path: "config.limits.fortnight", message: "unknown field" }]);
  await expectStatus(200, "patch", `/policies/${limit.id}`, { body: { config: { limits: { second: 2 } } } });
  await expectStatus(204, "delete", `/policies/${jwt.json.id}`);
});

test("config as code: dump, diff, apply, If-Match, revisions and rollback", async () => {
  for (const name of ["swap-a", "swap-b"])
    await expectStatus(201, "post", "/upstreams", { body: { name, targets: [{ url: `http://${name}:80` }] } });
  const file = (await expectStatus(200, "get", "/config")).json;
  expect((await expectStatus(200, "get", "/config?format=yaml")).text).toMatch(/^version: 1\n/);
  await expectStatus(400, "get", "/config?format=toml");
  const revision = currentRevision(h.db);
  const renamed = {
    ...file,
    plans: file.plans.map((plan: { name: string }) => ({ ...plan, description: "From a file" })),
  };
  expect((await expectStatus(200, "post", "/config/diff", { body: { config: renamed } })).json.applied).toBe(false);
  await expectStatus(400, "post", "/config/diff", { body: { config: { version: 2 } } });
  await expectStatus(412, "post", "/config/apply", {
    body: { config: renamed },
    headers: { "if-match": `"${revision - 1}"` },
  });
  const applied = (await expectStatus(200, "post", "/config/apply", { body: { config: renamed } })).json;
  expect(applied.revision).toBe(revision + 1);
  await expectStatus(400, "post", "/config/apply", { body: { config: "version: [" } });
  const swapped = {
    ...renamed,
    upstreams: renamed.upstreams.map((pool: { name: string }) => ({
      ...pool,
      name: pool.name === "swap-a" ? "swap-b" : pool.name === "swap-b" ? "swap-a" : pool.name,
    })),
  };
  await expectStatus(409, "post", "/config/apply", { body: { config: swapped } });
  const list = (await expectStatus(200, "get", "/revisions?limit=5")).json;
  expect(list.data[0]).toMatchObject({ revision: applied.revision, source: "file" });
  await expectStatus(400, "get", "/revisions?limit=lots");
  const detail = (await expectStatus(200, "get", `/revisions/${applied.revision}`)).json;
  expect(detail.changes.map((change: { kind: string }) => change.kind)).toContain("plan");
  await expectStatus(404, "get", "/revisions/999999");
  const plan = (await expectStatus(200, "post", `/revisions/${revision}/rollback`, { body: { dryRun: true } })).json;
  expect(plan.summary.update).toBeGreaterThan(0);
  await expectStatus(400, "post", `/revisions/${revision}/rollback`, { body: { dryRun: "yes" } });
  await expectStatus(404, "post", "/revisions/999999/rollback", { body: {} });
  expect((await expectStatus(200, "post", `/revisions/${revision}/rollback`, { body: {} })).json.applied).toBe(true);
});

test("system and analytics, relayed from the real gateway", async () => {
  await expectStatus(200, "get", "/revision");
  await expectStatus(200, "get", "/config/schema.json");
  expect((await expectStatus(200, "get", "/gateway/status")).json.reachable).toBe(true);
  await expectStatus(200, "get", "/audit?limit=5");
  const range = `from=${seedTraffic(h.dataDir, apiId, consumerId)}`;
  await gateway.waitForRevision(currentRevision(h.db));
  await (await fetch(`${gateway.proxyUrl}/orders/1`)).arrayBuffer();
  expect((await expectStatus(200, "get", "/analytics/requests")).json.entries.length).toBeGreaterThan(0);
  await expectStatus(503, "get", "/analytics/requests", { via: bare });
  expect((await expectStatus(200, "get", `/analytics/timeseries?${range}`)).json.total.requests).toBeGreaterThan(0);
  await expectStatus(400, "get", "/analytics/timeseries?step=2s");
  await expectStatus(200, "get", `/analytics/top?by=api&${range}`);
  await expectStatus(200, "get", `/analytics/usage?consumerId=${consumerId}&${range}`);
  await expectStatus(200, "get", `/analytics/usage?consumerId=${consumerId}&format=csv`);
  await expectStatus(404, "get", "/analytics/usage?consumerId=csm_nope");
  await expectStatus(200, "get", `/analytics/codes?apiId=${apiId}&${range}`);
  await expectStatus(400, "get", "/analytics/codes?from=soon");
  await expectStatus(200, "get", `/analytics/pools?apiId=${apiId}&${range}`);
  await expectStatus(400, "get", "/analytics/pools?from=soon");
  await expectStatus(400, "get", "/analytics/requests?consumer=nobody");
  await expectStatus(503, "get", "/analytics/stream", { via: bare });
  const call = await expectStatus(200, "post", "/gateway/call", { body: { method: "GET", path: "/nowhere" } });
  expect(call.json).toMatchObject({ status: 404, body: expect.stringContaining("no_route") });
  await expectStatus(400, "post", "/gateway/call", { body: { method: "GET", path: "orders" } });
  const abort = new AbortController();
  const stream = await h.app.request(`${TEST_ORIGIN}/api/v1/analytics/stream?apiId=${apiId}`, {
    headers: { authorization: `Bearer ${TEST_TOKEN}` },
    signal: abort.signal,
  });
  await stream.body?.getReader().read();
  abort.abort();
  checker.check("get", "/analytics/stream", stream.status, stream.headers.get("content-type"), "");
  successes.set("get /api/v1/analytics/stream", { url: "/analytics/stream", body: undefined });
}, 30_000);

let nodeAuth: { node: string };

test("data-plane nodes: tokens, the node list, the config stream, acks, traffic and request-log entries", async () => {
  const created = (await expectStatus(201, "post", "/nodes/tokens", { body: { name: "fleet" } })).json;
  await expectStatus(400, "post", "/nodes/tokens", { body: { name: "" } });
  await expectStatus(200, "get", "/nodes/tokens");
  nodeAuth = { node: created.token };
  await expectStatus(400, "get", "/node/config?revision=soon", { auth: nodeAuth });
  await expectStatus(401, "get", "/node/config", { auth: { node: "ghn_nope" } });
  const abort = new AbortController();
  const stream = await h.app.request(`${TEST_ORIGIN}/api/v1/node/config`, {
    headers: { authorization: `Bearer ${created.token}`, [NODE_HEADERS.id]: "node-openapi" },
    signal: abort.signal,
  });
  await stream.body?.getReader().read();
  abort.abort();
  checker.check("get", "/node/config", stream.status, stream.headers.get("content-type"), "");
  successes.set("get /api/v1/node/config", { url: "/node/config", body: undefined });
  await expectStatus(204, "post", "/node/ack", { auth: nodeAuth, body: { revision: 1 } });
  await expectStatus(400, "post", "/node/ack", { auth: nodeAuth, body: { revision: -1 } });
  await expectStatus(401, "post", "/node/ack", { auth: "none", body: { revision: 1 } });
  const batch = { run: "run-1", seq: 1, rows: [], requests: 0, dropped: 0 };
  await expectStatus(200, "post", "/node/traffic", { auth: nodeAuth, body: batch });
  await expectStatus(400, "post", "/node/traffic", { auth: nodeAuth, body: { ...batch, seq: 0 } });
  await expectStatus(401, "post", "/node/traffic", { auth: { node: "ghn_nope" }, body: batch });
  const entry = {
    time: Date.now(),
    method: "GET",
    path: "/orders/1",
    status: 200,
    latencyMs: 1.5,
    upstreamMs: 1,
    apiId: null,
    routeId: null,
    consumerId: null,
    requestId: "req_node_1",
    refusal: null,
    target: "http://127.0.0.1:9",
    sampleRate: 1,
  };
  await expectStatus(204, "post", "/node/requests", { auth: nodeAuth, body: { entries: [entry] } });
  await expectStatus(400, "post", "/node/requests", {
    auth: nodeAuth,
    body: { entries: [{ ...entry, status: "ok" }] },
  });
  await expectStatus(401, "post", "/node/requests", { auth: { node: "ghn_nope" }, body: { entries: [] } });
  await expectStatus(200, "get", "/nodes");
  const spare = (await expectStatus(201, "post", "/nodes/tokens", { body: { name: "spare" } })).json;
  await expectStatus(200, "post", `/nodes/tokens/${spare.id}/revoke`);
  await expectStatus(404, "post", "/nodes/tokens/ntk_nope/revoke");
});

test("every operation: an unknown field or query parameter is a 400 naming it, an unknown id a 404, no credentials a 401", async () => {
  for (const { key } of checker.operations()) {
    const [method, template] = key.split(" ") as [string, string];
    const url = template.replace("/api/v1", "");
    const done = successes.get(key);
    const security = (checker.doc.paths[template]?.[method] as { security?: object[] } | undefined)?.security;
    const auth = security?.some((scheme) => "nodeToken" in scheme) ? nodeAuth : sessionCookie;
    if (done && (method === "get" || (typeof done.body === "object" && done.body !== null))) {
      const [path, search] = done.url.split("?");
      const strange =
        method === "get"
          ? await call(method, `${path}?${search ? `${search}&` : ""}surely_not_a_field=1`, { auth })
          : await call(method, done.url, {
              body: { ...(done.body as object), surely_not_a_field: 1 },
              auth,
            });
      const declared = checker.doc.paths[template]?.[method]?.responses["400"];
      if (declared)
        expect([key, strange.json?.error?.fields]).toEqual([
          key,
          expect.arrayContaining([{ path: "surely_not_a_field", message: "unknown field" }]),
        ]);
    }
    if (url.includes("{") && done) {
      const res = await call(method, url.replace(/\{\w+\}/g, "nope_0"), { body: done.body, auth: sessionCookie });
      expect([key, res.status]).toEqual([key, 404]);
    }
    const op = checker.doc.paths[template]?.[method] as { security?: unknown[] } | undefined;
    const isPublic = op?.security?.length === 0;
    if (!isPublic) {
      const res = await call(method, url.replace(/\{\w+\}/g, "nope_0"), { auth: "none", body: done?.body });
      expect([key, res.status]).toEqual([key, 401]);
    }
  }
}, 60_000);

test("the checker itself fails a field the document does not name, a missing one and an undeclared status", () => {
  const probe = new OpenApiChecker(checker.doc, "/api/v1");
  const json = "application/json";
  probe.check("get", "/revision", 200, json, JSON.stringify({ revision: 1, extra: true }));
  probe.check("get", "/apis/api_1", 200, json, JSON.stringify({ id: "api_1" }));
  probe.check("get", "/revision", 404, json, JSON.stringify({ error: { code: "not_found", message: "x" } }));
  probe.check("get", "/revision", 200, json, JSON.stringify({ revision: 1 }));
  expect(probe.mismatches).toEqual([
    expect.stringMatching(/get \/api\/v1\/revision → 200: .*additionalProperty.*extra/),
    expect.stringMatching(/get \/api\/v1\/apis\/\{id\} → 200: .*required/),
    expect.stringMatching(/get \/api\/v1\/revision → 404: status not declared/),
  ]);
});

test("every answer matched the document, and every operation's success and input errors were exercised", () => {
  expect(checker.mismatches).toEqual([]);
  const missing = checker.operations().flatMap(({ key, statuses }) =>
    statuses
      .filter((status) => status.startsWith("2") || ["400", "401", "404", "409"].includes(status))
      .filter((status) => !checker.exercised.has(`${key} ${status}`))
      .map((status) => `${key} ${status}`),
  );
  expect(missing).toEqual([]);
  console.log(
    `[openapi] ${checker.operations().length} operations, ${checker.exercised.size} operation+status pairs exercised`,
  );
});
