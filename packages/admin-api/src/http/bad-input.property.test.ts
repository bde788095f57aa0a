import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { currentRevision } from "@gatehouse/db";
import { POLICY_SCHEMAS } from "@gatehouse/policies/schemas";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type AdminApiHarness, startAdminApi, TEST_ORIGIN, TEST_TOKEN } from "../test-support/admin-api-harness.ts";
import { type Hints, type JsonSchema, nasty, shaped, validish } from "../test-support/json-schema-arbitrary.ts";
import { makeCertificate } from "../test-support/test-certificates.ts";

/** Sign-in and setup hash passwords (scrypt): fewer runs keep the file fast on slow machines. */
const RUNS = { default: 150, slow: 40 };
const SLOW = new Set(["/auth/setup", "/auth/login"]);

/** Which table a path parameter names, by the collection segment before it. */
const TABLE_BY_SEGMENT: Record<string, string> = {
  apis: "apis",
  routes: "routes",
  upstreams: "upstreams",
  targets: "targets",
  sessions: "sessions",
  consumers: "consumers",
  keys: "api_keys",
  policies: "policies",
  plans: "plans",
  certificates: "certificates",
  revisions: "audit_log",
  tokens: "node_tokens",
};

/** Listed so each gets its own test; the first test fails when the document has one this list lacks. */
const WRITE_OPERATIONS = [
  "post /api/v1/auth/setup",
  "post /api/v1/auth/login",
  "post /api/v1/auth/logout",
  "delete /api/v1/auth/sessions/{id}",
  "post /api/v1/apis",
  "patch /api/v1/apis/{id}",
  "delete /api/v1/apis/{id}",
  "delete /api/v1/apis/{id}/cache",
  "post /api/v1/apis/{id}/openapi",
  "post /api/v1/openapi/import",
  "post /api/v1/apis/{id}/routes",
  "patch /api/v1/apis/{id}/routes/{routeId}",
  "delete /api/v1/apis/{id}/routes/{routeId}",
  "post /api/v1/upstreams",
  "patch /api/v1/upstreams/{id}",
  "delete /api/v1/upstreams/{id}",
  "post /api/v1/upstreams/{id}/targets",
  "patch /api/v1/upstreams/{id}/targets/{targetId}",
  "delete /api/v1/upstreams/{id}/targets/{targetId}",
  "post /api/v1/consumers",
  "patch /api/v1/consumers/{id}",
  "delete /api/v1/consumers/{id}",
  "post /api/v1/consumers/{id}/keys",
  "post /api/v1/consumers/{id}/keys/{keyId}/revoke",
  "post /api/v1/consumers/{id}/keys/{keyId}/rotate",
  "post /api/v1/policies",
  "patch /api/v1/policies/{id}",
  "delete /api/v1/policies/{id}",
  "post /api/v1/plans",
  "patch /api/v1/plans/{id}",
  "delete /api/v1/plans/{id}",
  "post /api/v1/certificates",
  "patch /api/v1/certificates/{id}",
  "delete /api/v1/certificates/{id}",
  "post /api/v1/gateway/call",
  "post /api/v1/config/diff",
  "post /api/v1/config/apply",
  "post /api/v1/revisions/{revision}/rollback",
  "post /api/v1/nodes/tokens",
  "post /api/v1/nodes/tokens/{id}/revoke",
  "post /api/v1/node/ack",
  "post /api/v1/node/traffic",
  "post /api/v1/node/requests",
];

type IdPick = { existing: number } | { raw: string };

interface WriteOperation {
  method: string;
  path: string;
  body: JsonSchema | undefined;
}

let h: AdminApiHarness;
/** Where /gateway/call sends what it is given: a server that answers every request 200. */
let gateway: Server;
let operations: WriteOperation[];
let seeded = 0;

async function seed() {
  seeded++;
  const name = `seed-${seeded}`;
  const created = await h.call("POST", "/apis", {
    name,
    upstream: { targets: [{ url: "http://127.0.0.1:9000" }, { url: "http://127.0.0.1:9001" }] },
    routes: [{ paths: [`/${name}`] }, { paths: [`/${name}-b`], methods: ["GET"] }],
  });
  expect(created.status).toBe(201);
  const plan = await h.call("POST", "/plans", { name, limits: { minute: 10 } });
  expect(plan.status).toBe(201);
  const consumer = await h.call("POST", "/consumers", { name, groups: ["fuzz"], planId: plan.json.id });
  expect(consumer.status).toBe(201);
  expect((await h.call("POST", `/consumers/${consumer.json.id}/keys`, { name })).status).toBe(201);
  expect((await h.call("POST", "/policies", { type: "key-auth", apiId: created.json.id })).status).toBe(201);
}

/** Child rows are picked among their parent's, so nested paths reach the handler, not only its 404. */
const PARENT_COLUMN: Record<string, string> = { routes: "api_id", targets: "upstream_id", api_keys: "consumer_id" };

function ids(table: string, parentId?: string): string[] {
  const column = parentId === undefined ? undefined : PARENT_COLUMN[table];
  const rows = column
    ? h.db.$client.prepare(`SELECT id FROM ${table} WHERE ${column} = ? ORDER BY id`).all(parentId)
    : h.db.$client.prepare(`SELECT id FROM ${table} ORDER BY id`).all();
  return (rows as Array<{ id: string }>).map((row) => row.id);
}

function resolvePath(path: string, picks: IdPick[]): string {
  let index = 0;
  let parentId: string | undefined;
  return path.replace(/\{(\w+)\}/g, (_, _name, offset: number) => {
    const pick = picks[index++] ?? { existing: 0 };
    const segment = path.slice(0, offset).split("/").at(-2) ?? "";
    const known = ids(TABLE_BY_SEGMENT[segment] ?? "apis", parentId);
    const id = "raw" in pick ? pick.raw : (known[pick.existing % Math.max(known.length, 1)] ?? "none");
    parentId = id;
    return encodeURIComponent(id);
  });
}

const idPick: fc.Arbitrary<IdPick> = fc.oneof(
  { weight: 4, arbitrary: fc.nat().map((existing) => ({ existing })) },
  {
    weight: 1,
    arbitrary: fc
      .oneof(
        fc.string({ unit: "binary", maxLength: 30 }),
        fc.constantFrom("ups_missing", "..", "%00", "x".repeat(3000)),
      )
      .map((raw) => ({ raw })),
  },
);

/** A body as sent on the wire: JSON of a generated value, or a raw (usually invalid) text. */
function bodyArbitrary(schema: JsonSchema | undefined, hints: Hints): fc.Arbitrary<string | undefined> {
  if (!schema)
    return fc.option(
      fc.jsonValue({ maxDepth: 1 }).map((v) => JSON.stringify(v)),
      { nil: undefined },
    );
  return fc.oneof(
    { weight: 3, arbitrary: validish(schema, hints).map((v) => JSON.stringify(v)) },
    { weight: 3, arbitrary: shaped(schema, hints).map((v) => JSON.stringify(v)) },
    { weight: 1, arbitrary: nasty.map((v) => JSON.stringify(v) ?? "null") },
    { weight: 1, arbitrary: fc.string({ maxLength: 40 }) },
  );
}

function hints(): Hints {
  const upstreamIds = ids("upstreams");
  return {
    type: fc.constantFrom(...POLICY_SCHEMAS.map((schema) => schema.type), "teleport", ""),
    apiId: fc.constantFrom(...ids("apis"), "api_missing", null),
    routeId: fc.constantFrom(...ids("routes"), null, null),
    consumerId: fc.constantFrom(...ids("consumers"), null, null),
    planId: fc.constantFrom(...ids("plans"), "pln_missing", null),
    "apiIds[]": fc.constantFrom(...ids("apis"), "api_missing"),
    url: fc.constantFrom("http://127.0.0.1:9000", "https://api.internal:8443/v1", "http://[::1]:8080", "http://x"),
    "paths[]": fc.constantFrom("/", "/orders", "/users/:id", "/users/:id/", "/a/b.json", "/fuzz"),
    rewritePath: fc.constantFrom(null, "/", "/v2", "/v2/:id"),
    upstreamId: fc.constantFrom(...upstreamIds, "ups_missing", ""),
    token: fc.constantFrom("not-the-token", ""),
  };
}

/** zod's own wording; users read these messages beside form fields. */
const ZOD_PHRASING = /Invalid input|expected|received|Too big|Too small|Invalid option/;

function assertEnvelope(status: number, text: string, label: string) {
  expect(status, `${label} answered ${status}: ${text.slice(0, 500)}`).toBeGreaterThanOrEqual(200);
  expect(status, `${label} answered ${status}: ${text.slice(0, 500)}`).toBeLessThan(500);
  if (status < 400) return;
  const { error } = JSON.parse(text);
  expect(typeof error.code, label).toBe("string");
  expect(typeof error.message, label).toBe("string");
  // The generic answer to a raw SQLite constraint: a check the service should have made and named.
  expect(error.message, label).not.toMatch(/conflicts with existing configuration/);
  for (const field of error.fields ?? []) expect(field.message, label).not.toMatch(ZOD_PHRASING);
  if (error.code === "validation_failed") {
    expect(status, label).toBe(400);
    expect(error.fields.length, label).toBeGreaterThan(0);
    for (const field of error.fields) {
      expect(typeof field.path).toBe("string");
      expect(typeof field.message).toBe("string");
    }
  }
}

beforeAll(async () => {
  gateway = createServer((_req, res) => res.end("ok"));
  await new Promise<void>((resolve) => gateway.listen(0, "127.0.0.1", resolve));
  h = startAdminApi({ gatewayProxyUrl: `http://127.0.0.1:${(gateway.address() as AddressInfo).port}` });
  for (let i = 0; i < 3; i++) await seed();
  // Made once, not per seed: openssl is slow next to the runs, and a deleted one only makes later runs 404s.
  for (const cn of ["one.fuzz.test", "two.fuzz.test"]) {
    expect((await h.call("POST", "/certificates", makeCertificate({ cn, dns: [cn] }))).status).toBe(201);
  }
  const doc = (await h.call("GET", "/openapi.json")).json;
  operations = [];
  for (const [path, ops] of Object.entries<
    Record<string, { requestBody?: { content: Record<string, { schema: JsonSchema }> } }>
  >(doc.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      if (method === "get") continue;
      operations.push({ method, path, body: op.requestBody?.content["application/json"]?.schema });
    }
  }
});
afterAll(() => {
  h.close();
  gateway.close();
});

describe("[BAD INPUT] random and boundary bodies at every write operation", () => {
  test("every write operation in the OpenAPI document is exercised below", () => {
    expect(operations.map((op) => `${op.method} ${op.path}`).sort()).toEqual([...WRITE_OPERATIONS].sort());
  });

  test.each(WRITE_OPERATIONS)("%s: 2xx or a 4xx envelope, never 5xx; the revision only moves forward", async (name) => {
    const op = operations.find((o) => `${o.method} ${o.path}` === name);
    if (!op) throw new Error(`${name} is not in the OpenAPI document`);
    const params = [...op.path.matchAll(/\{\w+\}/g)].length;
    const apiPath = op.path.replace("/api/v1", "");
    await fc.assert(
      fc.asyncProperty(
        fc.array(idPick, { minLength: params, maxLength: params }),
        bodyArbitrary(op.body, hints()),
        async (picks, body) => {
          if (ids("apis").length < 2) await seed();
          const before = currentRevision(h.db);
          const url = resolvePath(apiPath, picks);
          const response = await h.app.request(`${TEST_ORIGIN}/api/v1${url}`, {
            method: op.method.toUpperCase(),
            headers: {
              authorization: `Bearer ${TEST_TOKEN}`,
              origin: TEST_ORIGIN,
              ...(body === undefined ? {} : { "content-type": "application/json" }),
            },
            ...(body === undefined ? {} : { body }),
          });
          const text = await response.text();
          assertEnvelope(response.status, text, `${op.method.toUpperCase()} ${url} ${body?.slice(0, 300)}`);
          const after = currentRevision(h.db);
          expect(after).toBeGreaterThanOrEqual(before);
          const revision = response.headers.get("gatehouse-revision");
          if (revision !== null) expect(Number(revision)).toBe(after);
          if (revision !== null) expect(after).toBeGreaterThan(before);
        },
      ),
      { numRuns: SLOW.has(apiPath) ? RUNS.slow : RUNS.default },
    );
  });

  test("config.db stays consistent: foreign keys, integrity, every api with its upstream and a route", () => {
    const sqlite = h.db.$client;
    expect(sqlite.pragma("foreign_key_check")).toEqual([]);
    expect(sqlite.pragma("integrity_check", { simple: true })).toBe("ok");
    const orphans = sqlite
      .prepare(
        `SELECT a.id FROM apis a LEFT JOIN upstreams u ON u.id = a.upstream_id
         WHERE u.id IS NULL OR NOT EXISTS (SELECT 1 FROM routes r WHERE r.api_id = a.id)`,
      )
      .all();
    expect(orphans).toEqual([]);
    const emptyPools = sqlite
      .prepare("SELECT u.id FROM upstreams u WHERE NOT EXISTS (SELECT 1 FROM targets t WHERE t.upstream_id = u.id)")
      .all();
    expect(emptyPools).toEqual([]);
    const revisions = sqlite.prepare("SELECT revision FROM audit_log ORDER BY rowid").all() as Array<{
      revision: number;
    }>;
    expect(revisions.map((r) => r.revision)).toEqual([...revisions.map((r) => r.revision)].sort((a, b) => a - b));
  });
});

/** Each case the random runs found once, pinned so it cannot come back unnoticed. */
describe("[BAD INPUT] regressions found by the property tests", () => {
  test("an empty target patch is a 400, not an UPDATE with nothing to set (was 500)", async () => {
    const pool = (await h.call("POST", "/upstreams", { name: "empty-patch", targets: [{ url: "http://a:1" }] })).json;
    const answer = await h.call("PATCH", `/upstreams/${pool.id}/targets/${pool.targets[0].id}`, {});
    expect(answer.status).toBe(400);
    expect(answer.json.error.code).toBe("validation_failed");
  });

  test('upstreamId "" is an unknown upstream (404), not a foreign-key failure (was a generic 409)', async () => {
    const routes = [{ paths: ["/empty-upstream"] }];
    expect((await h.call("POST", "/apis", { name: "empty-upstream", upstreamId: "", routes })).status).toBe(404);
    const api = (await h.call("GET", "/apis?limit=1")).json.data[0];
    expect((await h.call("PATCH", `/apis/${api.id}`, { upstreamId: "" })).status).toBe(404);
  });

  test("an API's last route cannot be deleted (it left an API that no request can reach)", async () => {
    const api = (await h.call("GET", "/apis?limit=1")).json.data[0];
    for (const route of api.routes.slice(1)) await h.call("DELETE", `/apis/${api.id}/routes/${route.id}`);
    const last = await h.call("DELETE", `/apis/${api.id}/routes/${api.routes[0].id}`);
    expect(last.status).toBe(409);
    expect((await h.call("GET", `/apis/${api.id}/routes`)).json.data).toHaveLength(1);
  });

  test("a malformed audit query is a 400 (was a ZodError thrown as 500)", async () => {
    const answer = await h.call("GET", "/audit?limit=lots");
    expect(answer.status).toBe(400);
    expect(answer.json.error.fields[0].path).toBe("limit");
  });
});
