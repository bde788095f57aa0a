import { createServer, type IncomingHttpHeaders } from "node:http";
import { type AdminApiHarness, startAdminApi } from "@gatehouse/admin-api/test-support";
import { currentRevision } from "@gatehouse/db";
import { afterAll, beforeAll, expect, test } from "vitest";
import { closeServer, type GatewayProcess, listenLocal, startGateway } from "../test-support/servers.ts";

interface Seen {
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

let admin: AdminApiHarness;
let gateway: GatewayProcess;
const seen: Seen[] = [];
const upstream = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (chunk: Buffer) => chunks.push(chunk));
  req.on("end", () => {
    seen.push({ url: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks) });
    res.end("ok");
  });
});

const order = {
  type: "object",
  required: ["items"],
  properties: {
    email: { type: "string", format: "email" },
    items: {
      type: "array",
      minItems: 1,
      items: {
        type: "object",
        required: ["sku", "qty"],
        properties: { sku: { type: "string" }, qty: { type: "integer" } },
      },
    },
  },
};

beforeAll(async () => {
  admin = startAdminApi();
  const url = await listenLocal(upstream);
  gateway = await startGateway(admin.dataDir);
  const api = async (name: string, paths: string[], config: Record<string, unknown>) => {
    const routes = [{ paths, stripPath: false }];
    const created = await admin.call("POST", "/apis", { name, upstream: { targets: [{ url }] }, routes });
    expect(created.status).toBe(201);
    const policy = { type: "request-validation", apiId: created.json.id, config };
    const attached = await admin.call("POST", "/policies", policy);
    expect(attached.status, JSON.stringify(attached.json)).toBe(201);
  };
  await api("orders", ["/orders"], { body: order, maxBodyBytes: 1024 });
  await api("things", ["/things/:id"], {
    params: { type: "object", properties: { id: { type: "integer", minimum: 1 } } },
    query: { type: "object", properties: { limit: { type: "integer", maximum: 50 }, tag: { type: "array" } } },
    headers: { type: "object", required: ["X-Tenant"] },
  });
  await gateway.waitForRevision(currentRevision(admin.db));
}, 30_000);
afterAll(async () => {
  await gateway?.stop();
  await closeServer(upstream);
  admin?.close();
});

const postOrder = (body: BodyInit, init: RequestInit = {}) =>
  fetch(`${gateway.proxyUrl}/orders`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body,
    ...init,
  } as RequestInit);

test("[VALIDATE] a valid body reaches the upstream byte for byte, with its own Content-Length", async () => {
  const body = Buffer.from('{ "items" : [ {"sku":"café","qty":2} ],\n  "email":"a@example.com"  }');
  const before = seen.length;
  const res = await postOrder(body);
  expect(res.status).toBe(200);
  expect(seen.length).toBe(before + 1);
  const got = seen.at(-1) as Seen;
  expect(got.body.equals(body)).toBe(true);
  expect(got.headers["content-length"]).toBe(String(body.length));
});

test("[VALIDATE] an invalid body is 400 request_invalid naming each failing path, and the upstream sees nothing", async () => {
  const before = seen.length;
  const res = await postOrder(
    JSON.stringify({
      email: "nobody",
      items: [
        { sku: "a", qty: 1 },
        { sku: 7, qty: "1" },
      ],
    }),
  );
  expect(res.status).toBe(400);
  const { error } = await res.json();
  expect(error.code).toBe("request_invalid");
  expect(error.message).toBe('The request is invalid: body.email must match format "email"');
  expect(error.fields).toEqual([
    { path: "body.email", message: 'must match format "email"' },
    { path: "body.items[1].sku", message: "must be string" },
    { path: "body.items[1].qty", message: "must be integer" },
  ]);
  expect(error.requestId).toBe(res.headers.get("x-request-id"));
  const notJson = await postOrder("{items:");
  expect(notJson.status).toBe(400);
  expect((await notJson.json()).error.fields).toEqual([{ path: "body", message: "is not JSON" }]);
  expect(seen.length).toBe(before);
});

test("[VALIDATE] a body over the limit is 413, declared or streamed, and the upstream sees nothing", async () => {
  const before = seen.length;
  const large = JSON.stringify({ items: [{ sku: "x".repeat(2000), qty: 1 }] });
  const declared = await postOrder(large);
  expect(declared.status).toBe(413);
  expect((await declared.json()).error.code).toBe("payload_too_large");
  const streamed = await postOrder(chunked([large.slice(0, 600), large.slice(600)]), { duplex: "half" } as RequestInit);
  expect(streamed.status).toBe(413);
  expect(seen.length).toBe(before);
});

test("[VALIDATE] a chunked valid body is read whole, checked and forwarded whole", async () => {
  const parts = ['{"items":[', '{"sku":"a","qty":1},', '{"sku":"b","qty":2}', "]}"];
  const before = seen.length;
  const res = await postOrder(chunked(parts), { duplex: "half" } as RequestInit);
  expect(res.status).toBe(200);
  expect(seen.length).toBe(before + 1);
  expect((seen.at(-1) as Seen).body.toString()).toBe(parts.join(""));
  const bad = await postOrder(chunked(['{"items":', "[]}"]), { duplex: "half" } as RequestInit);
  expect(bad.status).toBe(400);
  expect((await bad.json()).error.fields).toEqual([
    { path: "body.items", message: "must NOT have fewer than 1 items" },
  ]);
  expect(seen.length).toBe(before + 1);
});

test("[VALIDATE] path parameters, query and headers are checked through a route with :id; what passes goes upstream as sent", async () => {
  const before = seen.length;
  const get = (path: string, headers: Record<string, string> = { "x-tenant": "acme" }) =>
    fetch(`${gateway.proxyUrl}${path}`, { headers });
  const ok = await get("/things/42?limit=10&tag=a&tag=b");
  expect(ok.status).toBe(200);
  expect((seen.at(-1) as Seen).url).toBe("/things/42?limit=10&tag=a&tag=b");
  const bad = await get("/things/0?limit=ten", {});
  expect(bad.status).toBe(400);
  const { error } = await bad.json();
  expect(error.code).toBe("request_invalid");
  expect(error.fields).toEqual([
    { path: "params.id", message: "must be >= 1" },
    { path: "query.limit", message: "must be integer" },
    { path: "headers.x-tenant", message: "is required" },
  ]);
  expect((await get("/things/7?limit=51")).status).toBe(400);
  expect(seen.length).toBe(before + 1);
});

function chunked(parts: string[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      for (const part of parts) controller.enqueue(new TextEncoder().encode(part));
      controller.close();
    },
  });
}
