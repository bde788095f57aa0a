import { currentRevision } from "@gatehouse/db";
import { afterEach, beforeEach, expect, test } from "vitest";
import { parse, stringify } from "yaml";
import { type AdminApiHarness, startAdminApi } from "../test-support/admin-api-harness.ts";
import { SWAGGER_PETSTORE_YAML } from "../test-support/swagger-petstore.ts";

let h: AdminApiHarness;
beforeEach(() => {
  h = startAdminApi();
});
afterEach(() => h.close());

const NAME = "Swagger Petstore - OpenAPI 3.0";
const importDocument = (document: unknown, options: Record<string, unknown> = {}, headers?: Record<string, string>) =>
  h.call("POST", "/openapi/import", { document, ...options }, headers);
const apiNamed = async (name: string) =>
  (await h.call("GET", `/apis?name=${encodeURIComponent(name)}`)).json.data.find(
    (api: { name: string }) => api.name === name,
  );
const routesOf = (api: { routes: { name: string; methods: string[]; paths: string[] }[] }) =>
  api.routes.map((r) => `${r.name} ${r.methods.join()} ${r.paths.join()}`).sort();
type Change = { kind: string; action: string; name: string; fields: string[] };
const outline = (changes: Change[]) => changes.map((c) => ({ kind: c.kind, action: c.action, name: c.name }));

test("[OPENAPI] a dry run of Swagger Petstore answers the API and pool it would create and changes nothing", async () => {
  const before = currentRevision(h.db);
  const res = await importDocument(SWAGGER_PETSTORE_YAML, { dryRun: true });
  expect(res.status, JSON.stringify(res.json)).toBe(200);
  expect(res.json).toMatchObject({ revision: before, applied: false, summary: { create: 2, update: 0, delete: 0 } });
  expect(outline(res.json.changes).sort((a, b) => a.kind.localeCompare(b.kind))).toEqual([
    { kind: "api", action: "create", name: NAME },
    { kind: "upstream", action: "create", name: NAME },
  ]);
  const api = res.json.changes.find((c: Change) => c.kind === "api");
  expect(api.after.routes).toHaveLength(19);
  expect(currentRevision(h.db)).toBe(before);
  expect((await h.call("GET", "/apis")).json.total).toBe(0);
  expect((await h.call("GET", "/upstreams")).json.total).toBe(0);
});

test("[OPENAPI] importing makes the API and its pool in one revision; importing again changes nothing", async () => {
  const res = await importDocument(SWAGGER_PETSTORE_YAML);
  expect(res.status, JSON.stringify(res.json)).toBe(200);
  expect(res.json).toMatchObject({ applied: true, summary: { create: 2, update: 0, delete: 0 } });
  expect(res.headers.get("gatehouse-revision")).toBe(String(res.json.revision));
  expect(currentRevision(h.db)).toBe(res.json.revision);
  const [revision] = (await h.call("GET", "/revisions?limit=1")).json.data;
  expect(revision).toMatchObject({ revision: res.json.revision, source: "openapi" });

  const api = await apiNamed(NAME);
  expect(api).toMatchObject({ tags: ["pet", "store", "user"], enabled: true });
  expect(api.upstream.name).toBe(NAME);
  expect(api.upstream.targets.map((t: { url: string }) => t.url)).toEqual(["https://petstore3.swagger.io/api/v3"]);
  expect(routesOf(api)).toEqual(
    [
      "updatePet PUT /pet",
      "addPet POST /pet",
      "findPetsByStatus GET /pet/findByStatus",
      "findPetsByTags GET /pet/findByTags",
      "getPetById GET /pet/:petId",
      "updatePetWithForm POST /pet/:petId",
      "deletePet DELETE /pet/:petId",
      "uploadFile POST /pet/:petId/uploadImage",
      "getInventory GET /store/inventory",
      "placeOrder POST /store/order",
      "getOrderById GET /store/order/:orderId",
      "deleteOrder DELETE /store/order/:orderId",
      "createUser POST /user",
      "createUsersWithListInput POST /user/createWithList",
      "loginUser GET /user/login",
      "logoutUser GET /user/logout",
      "getUserByName GET /user/:username",
      "updateUser PUT /user/:username",
      "deleteUser DELETE /user/:username",
    ].sort(),
  );
  for (const route of api.routes) expect(route).toMatchObject({ pathType: "exact", stripPath: false });

  const again = await importDocument(SWAGGER_PETSTORE_YAML);
  expect(again.status, JSON.stringify(again.json)).toBe(200);
  expect(again.json).toEqual({
    revision: res.json.revision,
    applied: false,
    changes: [],
    summary: { create: 0, update: 0, delete: 0 },
  });
  expect(currentRevision(h.db)).toBe(res.json.revision);
  const stale = await importDocument(SWAGGER_PETSTORE_YAML, {}, { "if-match": `"${res.json.revision - 1}"` });
  expect(stale.status).toBe(412);
  expect(stale.json.error.code).toBe("revision_mismatch");
});

test("[OPENAPI] a changed document (one path gone, one added) shows and applies exactly that", async () => {
  await importDocument(SWAGGER_PETSTORE_YAML);
  const before = await apiNamed(NAME);
  const changed = parse(SWAGGER_PETSTORE_YAML);
  delete changed.paths["/pet/findByTags"];
  changed.paths["/pet/{petId}/vaccinations"] = {
    get: { operationId: "listVaccinations", responses: { "200": { description: "ok" } } },
  };
  const text = stringify(changed);

  const plan = await importDocument(text, { dryRun: true });
  expect(plan.status, JSON.stringify(plan.json)).toBe(200);
  expect(plan.json.summary).toEqual({ create: 0, update: 1, delete: 0 });
  const [change] = plan.json.changes;
  expect(change).toMatchObject({ kind: "api", action: "update", id: before.id, name: NAME });
  expect(change.fields.sort()).toEqual(["routes[findPetsByTags]", "routes[listVaccinations]"]);

  const applied = await importDocument(text);
  expect(applied.json).toMatchObject({ applied: true, summary: { create: 0, update: 1, delete: 0 } });
  const after = await apiNamed(NAME);
  const expected = routesOf(before)
    .filter((r) => !r.startsWith("findPetsByTags "))
    .concat("listVaccinations GET /pet/:petId/vaccinations")
    .sort();
  expect(routesOf(after)).toEqual(expected);
  // The routes the document kept are the same routes, not new ones.
  const idOf = (api: { routes: { id: string; name: string }[] }, name: string) =>
    api.routes.find((r) => r.name === name)?.id;
  expect(idOf(after, "getPetById")).toBe(idOf(before, "getPetById"));
});

test("[OPENAPI] a re-import keeps what the document does not speak of: the switch, policies, a secret, extra targets", async () => {
  await importDocument(SWAGGER_PETSTORE_YAML, { attachValidation: true });
  const api = await apiNamed(NAME);
  const getPet = api.routes.find((r: { name: string }) => r.name === "getPetById");
  const secret = "a-secret-of-at-least-32-bytes-long!!";
  const jwt = { type: "jwt", apiId: api.id, config: { algorithms: ["HS256"], secret } };
  expect((await h.call("POST", "/policies", jwt)).status).toBe(201);
  const cors = { type: "cors", routeId: getPet.id, config: { origins: ["https://app.example.com"] } };
  expect((await h.call("POST", "/policies", cors)).status).toBe(201);
  expect((await h.call("PATCH", `/apis/${api.id}`, { enabled: false, tags: ["team-pets"] })).status).toBe(200);
  const target = { url: "https://petstore-eu.example.com/api/v3" };
  expect((await h.call("POST", `/upstreams/${api.upstreamId}/targets`, target)).status).toBe(201);
  const before = currentRevision(h.db);

  const again = await importDocument(SWAGGER_PETSTORE_YAML, { attachValidation: true });
  expect(again.status, JSON.stringify(again.json)).toBe(200);
  expect(again.json.summary, JSON.stringify(again.json.changes)).toEqual({ create: 0, update: 1, delete: 0 });
  // Only the document's tags come back beside the one given in the console.
  expect(again.json.changes[0].fields).toEqual(["tags"]);
  expect(currentRevision(h.db)).toBe(before + 1);
  const after = await apiNamed(NAME);
  expect(after).toMatchObject({ enabled: false, tags: ["team-pets", "pet", "store", "user"] });
  expect(after.upstream.targets).toHaveLength(2);
  const kept = (await h.call("GET", `/policies?apiId=${api.id}`)).json.data;
  expect(kept.map((p: { type: string }) => p.type)).toEqual(["jwt"]);
  const routePolicies = (await h.call("GET", `/policies?routeId=${getPet.id}`)).json.data;
  expect(routePolicies.map((p: { type: string }) => p.type).sort()).toEqual(["cors", "request-validation"]);
  const stored = h.db.$client.prepare("SELECT config FROM policies WHERE type = 'jwt'").get() as { config: string };
  expect(JSON.parse(stored.config).secret).toBe(secret);
  expect((await importDocument(SWAGGER_PETSTORE_YAML, { attachValidation: true })).json.applied).toBe(false);
});

test("[OPENAPI] a chosen pool is used as it is; without one, a relative server URL asks for a pool", async () => {
  const document = { ...parse(SWAGGER_PETSTORE_YAML), servers: [{ url: "/api/v3" }] };
  const refused = await importDocument(document);
  expect(refused.status).toBe(400);
  expect(refused.json.error.fields).toEqual([
    { path: "document.servers", message: "The server URL /api/v3 is relative: choose a pool" },
  ]);

  const pool = await h.call("POST", "/upstreams", { name: "pets", targets: [{ url: "http://127.0.0.1:9001/v3" }] });
  const res = await importDocument(document, { upstreamId: pool.json.id, name: "Pets" });
  expect(res.status, JSON.stringify(res.json)).toBe(200);
  expect(outline(res.json.changes)).toEqual([{ kind: "api", action: "create", name: "Pets" }]);
  const api = await apiNamed("Pets");
  expect(api.upstreamId).toBe(pool.json.id);
  expect((await h.call("GET", `/upstreams/${pool.json.id}`)).json.targets).toHaveLength(1);

  const missing = await importDocument(document, { upstreamId: "ups_nothere1", name: "Pets" });
  expect(missing.status).toBe(404);
  // A new API's pool is named after it: a pool of that name is not taken over.
  const taken = await importDocument(SWAGGER_PETSTORE_YAML, { name: "pets" });
  expect(taken.status).toBe(400);
  expect(taken.json.error.fields).toEqual([
    { path: "upstreamId", message: "A pool named pets exists: choose it, or give the API another name" },
  ]);
});

test("[OPENAPI] with validation, the routes carry request-validation policies built like attaching builds them", async () => {
  const res = await importDocument(SWAGGER_PETSTORE_YAML, { attachValidation: true });
  expect(res.status, JSON.stringify(res.json)).toBe(200);
  const api = await apiNamed(NAME);
  const policies = (await h.call("GET", "/policies?type=request-validation")).json.data;
  const routeOf = (id: string) => api.routes.find((r: { id: string }) => r.id === id)?.name;
  // getInventory and logoutUser declare nothing to check.
  expect(policies).toHaveLength(17);
  const getPet = policies.find((p: { routeId: string }) => routeOf(p.routeId) === "getPetById");
  expect(getPet.config.params).toEqual({
    type: "object",
    properties: { petId: { type: "integer", format: "int64" } },
    required: ["petId"],
  });
  expect((await importDocument(SWAGGER_PETSTORE_YAML, { attachValidation: true })).json.applied).toBe(false);
});

test("[OPENAPI] what cannot be imported is a 400 naming the document's field, and changes nothing", async () => {
  const before = currentRevision(h.db);
  const swagger = await importDocument({ swagger: "2.0", info: { title: "Old" }, paths: {} });
  expect(swagger.status).toBe(400);
  expect(swagger.json.error.fields).toEqual([
    { path: "document.swagger", message: "This is a Swagger 2.0 document; only OpenAPI 3.x documents are read" },
  ]);
  const broken = await importDocument("openapi: 3.0.0\npaths: {\n");
  expect(broken.status).toBe(400);
  expect(broken.json.error.fields[0].path).toBe("document");

  // A path another API serves already is refused at the document's path.
  await h.call("POST", "/apis", {
    name: "Other",
    upstream: { targets: [{ url: "http://127.0.0.1:9002" }] },
    routes: [{ paths: ["/store/inventory"], pathType: "exact" }],
  });
  const clash = await importDocument(SWAGGER_PETSTORE_YAML);
  expect(clash.status, JSON.stringify(clash.json)).toBe(400);
  expect(clash.json.error).toMatchObject({
    message: "The document cannot be imported; nothing was changed",
    fields: [
      {
        path: "document.paths./store/inventory",
        message: 'API "Other" already serves /store/inventory (every method)',
      },
    ],
  });
  expect(currentRevision(h.db)).toBe(before + 1);
});
