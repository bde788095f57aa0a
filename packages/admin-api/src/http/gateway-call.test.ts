import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startAdminApi } from "../test-support/admin-api-harness.ts";

/** A stand-in for the gateway's proxy port that says what it was sent. */
let gateway: Server;
let gatewayUrl: string;
const seen: { method?: string; url?: string; headers?: IncomingHttpHeaders }[] = [];

beforeAll(async () => {
  gateway = createServer((req, res) => {
    seen.push({ method: req.method, url: req.url, headers: req.headers });
    if (req.url === "/big") {
      res.writeHead(200, { "content-type": "text/plain" });
      res.end("x".repeat(10_000));
      return;
    }
    const refused = req.headers["x-api-key"] !== "ghk_good";
    res.writeHead(refused ? 401 : 200, { "content-type": "application/json", "x-seen-host": req.headers.host });
    res.end(JSON.stringify(refused ? { error: { code: "key_invalid" } } : { path: req.url }));
  });
  await new Promise<void>((resolve) => gateway.listen(0, "127.0.0.1", resolve));
  gatewayUrl = `http://127.0.0.1:${(gateway.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => gateway.close(() => resolve())));

describe("[GATEWAY] POST /gateway/call", () => {
  test("sends the method, path, Host and key header through the gateway and answers what came back", async () => {
    const h = startAdminApi({ gatewayProxyUrl: gatewayUrl });
    const answer = await h.call("POST", "/gateway/call", {
      method: "DELETE",
      path: "/orders/1?full=yes",
      headers: { Host: "api.example.com", "X-Api-Key": "ghk_good" },
    });
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ status: 200, body: '{"path":"/orders/1?full=yes"}', truncated: false });
    expect(answer.json.headers["x-seen-host"]).toBe("api.example.com");
    expect(seen.at(-1)).toMatchObject({ method: "DELETE", url: "/orders/1?full=yes" });

    const refused = await h.call("POST", "/gateway/call", { method: "GET", path: "/orders", headers: {} });
    expect(refused.json).toMatchObject({ status: 401, body: '{"error":{"code":"key_invalid"}}' });
    h.close();
  });

  test("cuts a long body at 4 KB and says so", async () => {
    const h = startAdminApi({ gatewayProxyUrl: gatewayUrl });
    const answer = await h.call("POST", "/gateway/call", { method: "GET", path: "/big" });
    expect(answer.json.body).toHaveLength(4096);
    expect(answer.json.truncated).toBe(true);
    h.close();
  });

  test("refuses a path that would leave the gateway, an unknown field, and a header with a line break", async () => {
    const h = startAdminApi({ gatewayProxyUrl: gatewayUrl });
    const before = seen.length;
    for (const [body, field] of [
      [{ method: "GET", path: "//evil.example/x" }, "path"],
      [{ method: "GET", path: "http://evil.example/x" }, "path"],
      [{ method: "GET", path: "/x", url: "http://evil.example" }, "url"],
      [{ method: "GET", path: "/x", headers: { "x-a": "1\r\nx-b: 2" } }, "headers.x-a"],
    ] as const) {
      const answer = await h.call("POST", "/gateway/call", body);
      expect(answer.status).toBe(400);
      expect(answer.json.error.code).toBe("validation_failed");
      expect(JSON.stringify(answer.json.error)).toContain(field);
    }
    expect(seen.length).toBe(before);
    h.close();
  });

  test("answers 503 when no gateway URL is configured or the gateway is down", async () => {
    const none = startAdminApi();
    expect((await none.call("POST", "/gateway/call", { method: "GET", path: "/" })).status).toBe(503);
    none.close();
    const down = startAdminApi({ gatewayProxyUrl: "http://127.0.0.1:1" });
    const answer = await down.call("POST", "/gateway/call", { method: "GET", path: "/" });
    expect(answer.status).toBe(503);
    expect(answer.json.error.code).toBe("gateway_unavailable");
    down.close();
  });
});
