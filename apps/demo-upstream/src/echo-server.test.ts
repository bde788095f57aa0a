import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, expect, test } from "vitest";
import { createEchoServer, ECHO_BODY_LIMIT } from "./echo-server.ts";

const server = createEchoServer();
let base: string;
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

test("echoes method, target, parsed query, headers and body", async () => {
  const res = await fetch(`${base}/a/b?x=1&y=2`, { method: "PUT", body: "hi", headers: { "x-test": "t" } });
  expect(await res.json()).toMatchObject({
    method: "PUT",
    path: "/a/b?x=1&y=2",
    query: { x: "1", y: "2" },
    headers: { "x-test": "t" },
    body: "hi",
  });
});

test("a body over the echo limit is counted, not echoed", async () => {
  const res = await fetch(`${base}/big`, { method: "POST", body: new Uint8Array(ECHO_BODY_LIMIT + 10) });
  const body = (await res.json()) as Record<string, unknown>;
  expect(body.bodyBytes).toBe(ECHO_BODY_LIMIT + 10);
  expect(body.body).toBeUndefined();
});

test("/bytes/:n streams n bytes and /drain counts an upload", async () => {
  const bytes = await fetch(`${base}/bytes/200000`).then((r) => r.arrayBuffer());
  expect(bytes.byteLength).toBe(200_000);
  const drained = await fetch(`${base}/drain`, { method: "POST", body: new Uint8Array(300_000) });
  expect(await drained.json()).toEqual({ bytes: 300_000 });
});
