import { auditLog, currentRevision } from "@gatehouse/db";
import { afterEach, beforeEach, expect, test } from "vitest";
import { type AdminApiHarness, startAdminApi } from "../test-support/admin-api-harness.ts";
import { PETSTORE } from "../test-support/petstore.ts";

let h: AdminApiHarness;
let apiId: string;
let routeIds: { list: string; create: string; show: string };

beforeEach(async () => {
  h = startAdminApi();
  const routes = [
    { name: "list", paths: ["/pets"], methods: ["GET"] },
    { name: "create", paths: ["/pets"], methods: ["POST"] },
    { name: "show", paths: ["/pets/:petId"] },
    { name: "orders", paths: ["/orders"] },
  ];
  const api = await h.call("POST", "/apis", {
    name: "petstore",
    upstream: { targets: [{ url: "http://127.0.0.1:9" }] },
    routes,
  });
  expect(api.status, JSON.stringify(api.json)).toBe(201);
  apiId = api.json.id;
  const id = (name: string) => api.json.routes.find((r: { name: string }) => r.name === name).id;
  routeIds = { list: id("list"), create: id("create"), show: id("show") };
});
afterEach(() => h.close());

const attach = (document: unknown, dryRun = false, at = apiId) =>
  h.call("POST", `/apis/${at}/openapi`, { document, dryRun });
const policies = async () => (await h.call("GET", `/policies?type=request-validation`)).json.data;

test("[OPENAPI] a dry run answers what would be attached and changes nothing", async () => {
  const before = currentRevision(h.db);
  const res = await attach(PETSTORE, true);
  expect(res.status, JSON.stringify(res.json)).toBe(200);
  expect(res.json).toEqual({
    revision: null,
    operations: [
      { method: "GET", path: "/pets", routeId: routeIds.list, outcome: "create", policyId: null },
      { method: "POST", path: "/pets", routeId: routeIds.create, outcome: "create", policyId: null },
      { method: "GET", path: "/pets/{petId}", routeId: routeIds.show, outcome: "create", policyId: null },
    ],
  });
  expect(currentRevision(h.db)).toBe(before);
  expect(await policies()).toEqual([]);
});

test("[OPENAPI] applying attaches one policy per route in one transaction; applying again changes nothing", async () => {
  const before = currentRevision(h.db);
  const res = await attach(PETSTORE);
  expect(res.status, JSON.stringify(res.json)).toBe(200);
  expect(res.json.operations.map((o: { outcome: string }) => o.outcome)).toEqual(["create", "create", "create"]);
  expect(res.json.revision).toBe(currentRevision(h.db));
  expect(res.headers.get("gatehouse-revision")).toBe(String(res.json.revision));
  const audited = h.db
    .select()
    .from(auditLog)
    .all()
    .filter((row) => row.revision > before);
  expect(audited.map((row) => [row.action, row.entityType])).toEqual([
    ["create", "policy"],
    ["create", "policy"],
    ["create", "policy"],
  ]);
  const attached = await policies();
  expect(attached.map((p: { routeId: string }) => p.routeId).sort()).toEqual(Object.values(routeIds).sort());
  const show = attached.find((p: { routeId: string }) => p.routeId === routeIds.show);
  expect(show.config).toEqual({
    params: {
      type: "object",
      properties: { petId: { type: "integer", format: "int64", minimum: 1 } },
      required: ["petId"],
    },
    query: null,
    headers: null,
    body: null,
    maxBodyBytes: 1024 * 1024,
  });
  const ids = res.json.operations.map((o: { policyId: string }) => o.policyId);
  expect(ids.every((id: unknown) => typeof id === "string")).toBe(true);

  const again = await attach(PETSTORE);
  expect(again.json).toEqual({
    revision: null,
    operations: res.json.operations.map((o: object) => ({ ...o, outcome: "unchanged" })),
  });
  expect(currentRevision(h.db)).toBe(res.json.revision);

  const tighter = structuredClone(PETSTORE);
  tighter.components.parameters.Limit.schema.maximum = 50;
  const changed = await attach(tighter);
  expect(changed.json.operations.map((o: { outcome: string }) => o.outcome)).toEqual([
    "update",
    "unchanged",
    "unchanged",
  ]);
  const list = (await policies()).find((p: { routeId: string }) => p.routeId === routeIds.list);
  expect(list.config.query.properties.limit.maximum).toBe(50);
});

test("[OPENAPI] a route serving operations whose schemas differ is ambiguous; an operation no route serves is unmatched", async () => {
  const other = await h.call("POST", "/apis", {
    name: "one-route",
    upstream: { targets: [{ url: "http://127.0.0.1:9" }] },
    routes: [{ paths: ["/v2/pets"] }],
  });
  const document = {
    openapi: "3.1.0",
    paths: { "/v2/pets": PETSTORE.paths["/pets"], "/v2/pets/{petId}": PETSTORE.paths["/pets/{petId}"] },
    components: PETSTORE.components,
  };
  const res = await attach(document, false, other.json.id);
  expect(res.status, JSON.stringify(res.json)).toBe(200);
  expect(res.json.revision).toBeNull();
  expect(res.json.operations).toEqual([
    expect.objectContaining({
      method: "GET",
      outcome: "ambiguous",
      message: expect.stringMatching(/GET \/v2\/pets, POST \/v2\/pets/),
    }),
    expect.objectContaining({ method: "POST", outcome: "ambiguous", routeId: other.json.routes[0].id }),
    expect.objectContaining({
      method: "GET",
      outcome: "unmatched",
      routeId: null,
      message: "No route of this API serves GET /v2/pets/:petId",
    }),
  ]);
  expect(await policies()).toEqual([]);
});

test("[OPENAPI] YAML is read; Swagger 2.0, a malformed operation and an unknown API are refused and nothing is stored", async () => {
  const yaml =
    "openapi: 3.0.3\npaths:\n  /pets/{petId}:\n    get:\n      parameters:\n        - {name: petId, in: path, required: true, schema: {type: integer}}\n";
  const read = await attach(yaml, true);
  expect(read.json.operations).toEqual([
    { method: "GET", path: "/pets/{petId}", routeId: routeIds.show, outcome: "create", policyId: null },
  ]);

  const swagger = await attach({ swagger: "2.0", info: { title: "x", version: "1" }, paths: {} });
  expect(swagger.status).toBe(400);
  expect(swagger.json.error.fields).toEqual([
    { path: "document.swagger", message: "This is a Swagger 2.0 document; only OpenAPI 3.x documents are read" },
  ]);
  const malformed = await attach({ openapi: "3.0.3", paths: { "/pets": { post: { requestBody: "a pet" } } } });
  expect(malformed.status).toBe(400);
  expect(malformed.json.error.fields.map((f: { path: string }) => f.path)).toEqual([
    "document.paths./pets.post.requestBody",
  ]);
  const noRef = await attach({
    openapi: "3.0.3",
    paths: { "/pets": { get: { parameters: [{ $ref: "#/components/parameters/Nope" }] } } },
  });
  expect(noRef.json.error.fields).toEqual([
    {
      path: "document.paths./pets.get.parameters.0.$ref",
      message: "#/components/parameters/Nope names nothing in components.parameters",
    },
  ]);
  expect((await attach("openapi: [", true)).json.error.fields[0].path).toBe("document");
  expect((await attach(PETSTORE, false, "api_nope")).status).toBe(404);
  expect(await policies()).toEqual([]);
});
