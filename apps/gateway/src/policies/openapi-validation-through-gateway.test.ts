import { createServer } from "node:http";
import { type AdminApiHarness, startAdminApi } from "@gatehouse/admin-api/test-support";
import { PETSTORE } from "@gatehouse/admin-api/test-support/petstore";
import { currentRevision } from "@gatehouse/db";
import { afterAll, beforeAll, expect, test } from "vitest";
import { closeServer, type GatewayProcess, listenLocal, startGateway } from "../test-support/servers.ts";

let admin: AdminApiHarness;
let gateway: GatewayProcess;
const seen: string[] = [];
const upstream = createServer((req, res) => {
  req.resume();
  req.on("end", () => {
    seen.push(`${req.method} ${req.url}`);
    res.end("ok");
  });
});

// Petstore plus an operation whose body is optional.
const document = {
  ...PETSTORE,
  paths: {
    ...PETSTORE.paths,
    "/notes": {
      post: {
        requestBody: {
          content: { "application/json": { schema: { type: "object", required: ["text"] } } },
        },
      },
    },
  },
};

beforeAll(async () => {
  admin = startAdminApi();
  const url = await listenLocal(upstream);
  gateway = await startGateway(admin.dataDir);
  const routes = [
    { paths: ["/pets"], methods: ["GET"], stripPath: false },
    { paths: ["/pets"], methods: ["POST"], stripPath: false },
    { paths: ["/pets/:petId"], stripPath: false },
    { paths: ["/notes"], methods: ["POST"], stripPath: false },
  ];
  const api = await admin.call("POST", "/apis", { name: "petstore", upstream: { targets: [{ url }] }, routes });
  expect(api.status, JSON.stringify(api.json)).toBe(201);
  const attached = await admin.call("POST", `/apis/${api.json.id}/openapi`, { document: JSON.stringify(document) });
  expect(attached.status, JSON.stringify(attached.json)).toBe(200);
  expect(attached.json.operations.map((o: { outcome: string }) => o.outcome)).toEqual([
    "create",
    "create",
    "create",
    "create",
  ]);
  await gateway.waitForRevision(currentRevision(admin.db));
}, 30_000);
afterAll(async () => {
  await gateway?.stop();
  await closeServer(upstream);
  admin?.close();
});

const send = (method: string, path: string, body?: unknown) =>
  fetch(`${gateway.proxyUrl}${path}`, {
    method,
    ...(body === undefined ? {} : { headers: { "content-type": "application/json" }, body: JSON.stringify(body) }),
  });

async function refusal(res: Response) {
  expect(res.status).toBe(400);
  const { error } = await res.json();
  expect(error.code).toBe("request_invalid");
  return error.fields;
}

test("[OPENAPI] requests that break the imported schemas are 400 request_invalid and never reach the upstream", async () => {
  const before = seen.length;
  expect(await refusal(await send("GET", "/pets?limit=500"))).toEqual([
    { path: "query.limit", message: "must be <= 100" },
  ]);
  expect(await refusal(await send("GET", "/pets/abc"))).toEqual([{ path: "params.petId", message: "must be integer" }]);
  expect(await refusal(await send("POST", "/pets", { tag: "dog" }))).toEqual([
    { path: "body.name", message: "is required" },
  ]);
  // The required body: no body at all is refused.
  expect(await refusal(await send("POST", "/pets"))).toEqual([{ path: "body", message: "is required" }]);
  // Owner → pets → Pet: the cycle of components is checked however deep.
  expect(await refusal(await send("POST", "/pets", { name: "Rex", owner: { pets: [{ name: "" }] } }))).toEqual([
    { path: "body.owner.pets[0].name", message: "must NOT have fewer than 1 characters" },
  ]);
  expect(await refusal(await send("POST", "/notes", {}))).toEqual([{ path: "body.text", message: "is required" }]);
  expect(seen.length).toBe(before);
});

test("[OPENAPI] requests that fit the imported schemas pass: nullable fields, nested refs, an optional body left out", async () => {
  const before = seen.length;
  expect((await send("GET", "/pets?limit=5")).status).toBe(200);
  expect((await send("GET", "/pets/7")).status).toBe(200);
  const pet = { name: "Rex", tag: null, owner: { name: "Ann", pets: [{ name: "Fido" }] } };
  expect((await send("POST", "/pets", pet)).status).toBe(200);
  expect((await send("POST", "/notes")).status).toBe(200);
  expect((await send("POST", "/notes", { text: "hi" })).status).toBe(200);
  expect(seen.slice(before)).toEqual(["GET /pets?limit=5", "GET /pets/7", "POST /pets", "POST /notes", "POST /notes"]);
});
