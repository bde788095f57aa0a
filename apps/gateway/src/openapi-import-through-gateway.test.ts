import { createServer } from "node:http";
import { type AdminApiHarness, startAdminApi } from "@gatehouse/admin-api/test-support";
import { SWAGGER_PETSTORE_YAML } from "@gatehouse/admin-api/test-support/swagger-petstore";
import { currentRevision } from "@gatehouse/db";
import { afterAll, beforeAll, expect, test } from "vitest";
import { closeServer, type GatewayProcess, listenLocal, startGateway } from "./test-support/servers.ts";

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

beforeAll(async () => {
  admin = startAdminApi();
  const url = await listenLocal(upstream);
  gateway = await startGateway(admin.dataDir);
  // Petstore as published, served by a local upstream at the same base path.
  const document = SWAGGER_PETSTORE_YAML.replace("https://petstore3.swagger.io/api/v3", `${url}/api/v3`);
  const imported = await admin.call("POST", "/openapi/import", { document, attachValidation: true });
  expect(imported.status, JSON.stringify(imported.json)).toBe(200);
  await gateway.waitForRevision(currentRevision(admin.db));
}, 30_000);
afterAll(async () => {
  await gateway?.stop();
  await closeServer(upstream);
  admin?.close();
});

test("[OPENAPI] requests to the imported routes reach the upstream under the server URL's path", async () => {
  const before = seen.length;
  expect((await fetch(`${gateway.proxyUrl}/pet/7`)).status).toBe(200);
  expect((await fetch(`${gateway.proxyUrl}/pet/findByStatus?status=sold`)).status).toBe(200);
  expect((await fetch(`${gateway.proxyUrl}/store/order/5`, { method: "DELETE" })).status).toBe(200);
  expect(seen.slice(before)).toEqual([
    "GET /api/v3/pet/7",
    "GET /api/v3/pet/findByStatus?status=sold",
    "DELETE /api/v3/store/order/5",
  ]);
});

test("[OPENAPI] what the document does not declare is not routed, and what breaks its schemas is refused", async () => {
  const before = seen.length;
  const wrongMethod = await fetch(`${gateway.proxyUrl}/store/inventory`, { method: "DELETE" });
  expect(wrongMethod.status).toBe(404);
  expect((await wrongMethod.json()).error.code).toBe("no_route");
  const deeper = await fetch(`${gateway.proxyUrl}/pet/7/extra`);
  expect(deeper.status).toBe(404);
  const invalid = await fetch(`${gateway.proxyUrl}/pet/abc`);
  expect(invalid.status).toBe(400);
  expect((await invalid.json()).error).toMatchObject({
    code: "request_invalid",
    fields: [{ path: "params.petId", message: "must be integer" }],
  });
  expect(seen.length).toBe(before);
});
