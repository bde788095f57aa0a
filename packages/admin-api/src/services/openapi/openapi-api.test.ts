import { type FileApi, GatehouseError } from "@gatehouse/shared";
import { expect, test } from "vitest";
import { SWAGGER_PETSTORE_YAML } from "../../test-support/swagger-petstore.ts";
import { nameFromTitle, readImportedFields, serverTargetUrl, tagsFrom } from "./imported-fields.ts";
import { apiFromDocument } from "./openapi-api.ts";
import { readOpenApiDocument } from "./openapi-document.ts";

const PETSTORE_ROUTES = [
  ["updatePet", "PUT", "/pet"],
  ["addPet", "POST", "/pet"],
  ["findPetsByStatus", "GET", "/pet/findByStatus"],
  ["findPetsByTags", "GET", "/pet/findByTags"],
  ["getPetById", "GET", "/pet/:petId"],
  ["updatePetWithForm", "POST", "/pet/:petId"],
  ["deletePet", "DELETE", "/pet/:petId"],
  ["uploadFile", "POST", "/pet/:petId/uploadImage"],
  ["getInventory", "GET", "/store/inventory"],
  ["placeOrder", "POST", "/store/order"],
  ["getOrderById", "GET", "/store/order/:orderId"],
  ["deleteOrder", "DELETE", "/store/order/:orderId"],
  ["createUser", "POST", "/user"],
  ["createUsersWithListInput", "POST", "/user/createWithList"],
  ["loginUser", "GET", "/user/login"],
  ["logoutUser", "GET", "/user/logout"],
  ["getUserByName", "GET", "/user/:username"],
  ["updateUser", "PUT", "/user/:username"],
  ["deleteUser", "DELETE", "/user/:username"],
];

function convert(
  input: string | Record<string, unknown>,
  options: { current?: FileApi; attachValidation?: boolean } = {},
) {
  const document = readOpenApiDocument(input);
  const fields = readImportedFields(document);
  return apiFromDocument(document, fields, {
    name: nameFromTitle(fields.info?.title ?? ""),
    upstream: "pets-pool",
    attachValidation: false,
    ...options,
  });
}

function refusal(run: () => unknown) {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(GatehouseError);
    return (error as GatehouseError).fields;
  }
  throw new Error("expected a refusal");
}

const minimal = (paths: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  openapi: "3.1.0",
  info: { title: "Mini", version: "1" },
  paths,
  ...extra,
});

test("[OPENAPI] Swagger Petstore 3 becomes one exact route per operation, named by operationId, forwarded whole", () => {
  const api = convert(SWAGGER_PETSTORE_YAML);
  expect(api.routes.map((r) => [r.name, r.methods.join(), r.paths.join()])).toEqual(PETSTORE_ROUTES);
  for (const route of api.routes) {
    expect(route).toMatchObject({ pathType: "exact", stripPath: false, hosts: [], policies: [] });
  }
  expect(api).toMatchObject({
    name: "Swagger Petstore - OpenAPI 3.0",
    upstream: "pets-pool",
    tags: ["pet", "store", "user"],
    enabled: true,
    policies: [],
  });
  expect(serverTargetUrl(readImportedFields(readOpenApiDocument(SWAGGER_PETSTORE_YAML)))).toBe(
    "https://petstore3.swagger.io/api/v3",
  );
});

test("[OPENAPI] with validation, each route that declares something to check carries a request-validation policy", () => {
  const api = convert(SWAGGER_PETSTORE_YAML, { attachValidation: true });
  const byName = new Map(api.routes.map((r) => [r.name, r.policies]));
  expect(byName.get("getPetById")).toEqual([
    {
      type: "request-validation",
      enabled: true,
      config: {
        params: { type: "object", properties: { petId: { type: "integer", format: "int64" } }, required: ["petId"] },
        query: null,
        headers: null,
        body: null,
        maxBodyBytes: 1024 * 1024,
      },
    },
  ]);
  expect(byName.get("addPet")?.[0]?.config.body).toMatchObject({
    $ref: "#/$defs/Pet",
    $defs: { Pet: { type: "object", required: ["name", "photoUrls"] } },
  });
  // Nothing to check: no policy, as attaching does.
  expect(byName.get("logoutUser")).toEqual([]);
  expect(byName.get("getInventory")).toEqual([]);
});

test("[OPENAPI] a re-import keeps ids and what the document does not speak of; validation replaces only its parts", () => {
  const first = convert(SWAGGER_PETSTORE_YAML, { attachValidation: true });
  const saved = structuredClone(first) as FileApi;
  saved.id = "api_abcd1234";
  saved.enabled = false;
  saved.tags = ["team-a"];
  saved.description = "Pets";
  const getPet = saved.routes.find((r) => r.name === "getPetById") as FileApi["routes"][number];
  getPet.id = "rte_abcd1234";
  getPet.hosts = ["pets.example.com"];
  getPet.policies = [
    { type: "cors", enabled: true, config: { origins: ["*"] } },
    { id: "pol_abcd1234", type: "request-validation", enabled: false, config: { maxBodyBytes: 10, params: null } },
  ];
  const again = convert(SWAGGER_PETSTORE_YAML, { current: saved, attachValidation: true });
  expect(again).toMatchObject({ id: "api_abcd1234", enabled: false, description: "Pets" });
  expect(again.tags).toEqual(["team-a", "pet", "store", "user"]);
  const route = again.routes.find((r) => r.name === "getPetById");
  expect(route).toMatchObject({ id: "rte_abcd1234", hosts: ["pets.example.com"] });
  expect(route?.policies).toEqual([
    { type: "cors", enabled: true, config: { origins: ["*"] } },
    {
      id: "pol_abcd1234",
      type: "request-validation",
      enabled: false,
      config: { ...first.routes[4]?.policies[0]?.config, maxBodyBytes: 10 },
    },
  ]);
  // Without validation asked for, a route's policies are left as they were.
  const plain = convert(SWAGGER_PETSTORE_YAML, { current: saved });
  expect(plain.routes.find((r) => r.name === "getPetById")?.policies).toEqual(getPet.policies);
});

test("[OPENAPI] an operation without operationId is named METHOD /path; path-less documents are refused", () => {
  const api = convert(minimal({ "/things/{id}/": { get: {} }, "/things": { post: { operationId: "  " } } }));
  expect(api.routes.map((r) => [r.name, r.paths])).toEqual([
    ["GET /things/{id}/", ["/things/:id"]],
    ["POST /things", ["/things"]],
  ]);
  expect(refusal(() => convert(minimal({})))).toEqual([
    { path: "document.paths", message: "The document has no operations to route" },
  ]);
});

test("[OPENAPI] what cannot become a route is refused at the operation it came from", () => {
  expect(refusal(() => convert(minimal({ "/pets/{pet-id}": { get: { operationId: "getPet" } } })))).toEqual([
    { path: "document.paths./pets/{pet-id}", message: "Use /segments of URL characters, or :name for a parameter" },
  ]);
  expect(
    refusal(() => convert(minimal({ "/a": { get: { operationId: "x" } }, "/b": { get: { operationId: "x" } } }))),
  ).toEqual([{ path: "document.paths./b.get.operationId", message: "GET /a has this route name too" }]);
  expect(refusal(() => convert(minimal({ "/a": { get: {} }, "/a/": { get: { operationId: "other" } } })))).toEqual([
    { path: "document.paths./a/", message: "GET /a is the same route" },
  ]);
  expect(refusal(() => convert(minimal({ "/a": { get: { operationId: "x".repeat(101) } } })))).toEqual([
    { path: "document.paths./a.get.operationId", message: "Must be at most 100 characters" },
  ]);
  const many = Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`/r${i}`, { get: {} }]));
  expect(refusal(() => convert(minimal(many)))).toEqual([
    { path: "document.paths", message: "Must be at most 100 items: one route per operation, and it has 101" },
  ]);
});

test("[OPENAPI] titles and tags are made valid; a server the gateway cannot call asks for a pool", () => {
  expect(nameFromTitle("  (Beta) Pet Store: v2 ")).toBe("Beta Pet Store v2");
  expect(nameFromTitle("宠物")).toBe("");
  const tags = [
    { name: "Pet Store" },
    { name: "" },
    { name: "pet-store" },
    { name: "Pet Store" },
    { name: "x".repeat(60) },
  ];
  expect(tagsFrom({ tags })).toEqual(["Pet-Store", "pet-store", "x".repeat(50)]);
  expect(tagsFrom({ tags: Array.from({ length: 30 }, (_, i) => ({ name: `t${i}` })) })).toHaveLength(20);

  const server = (servers: unknown) => refusal(() => serverTargetUrl(readImportedFields(minimal({}, { servers }))));
  expect(server(undefined)).toEqual([
    { path: "document.servers", message: "The document names no server: choose a pool" },
  ]);
  expect(server([{ url: "/api/v3" }])).toEqual([
    { path: "document.servers", message: "The server URL /api/v3 is relative: choose a pool" },
  ]);
  expect(server([{ url: "https://{region}.example.com" }])).toEqual([
    { path: "document.servers", message: "The server URL https://{region}.example.com is templated: choose a pool" },
  ]);
  expect(server([{ url: "ftp://files.example.com" }])).toEqual([
    { path: "document.servers.0.url", message: "Use an http:// or https:// URL" },
  ]);
  expect(server([{ url: 7 }])).toEqual([{ path: "document.servers.0.url", message: "Enter text" }]);
  expect(serverTargetUrl(readImportedFields(minimal({}, { servers: [{ url: "http://127.0.0.1:8080/v1/" }] })))).toBe(
    "http://127.0.0.1:8080/v1",
  );
});
