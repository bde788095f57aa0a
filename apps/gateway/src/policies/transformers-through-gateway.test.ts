import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import { type AdminApiHarness, startAdminApi } from "@gatehouse/admin-api/test-support";
import { currentRevision } from "@gatehouse/db";
import { SignJWT } from "jose";
import { afterAll, beforeAll, expect, test } from "vitest";
import { closeServer, type GatewayProcess, listenLocal, startEcho, startGateway } from "../test-support/servers.ts";

interface Echoed {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body?: string;
}

let admin: AdminApiHarness;
let gateway: GatewayProcess;
let echo: Awaited<ReturnType<typeof startEcho>>;
let hits = 0;

/** An upstream of JSON answers: a small one with validators, and a large one sent until the test lets it end. */
const answers = createServer((req, res) => {
  if (req.url === "/doc") {
    const body = JSON.stringify({ id: 1, secret: "s", items: [1, 2] });
    res.writeHead(200, {
      "content-type": "application/json",
      "content-length": Buffer.byteLength(body),
      etag: '"v1"',
      "content-md5": "not-checked",
      server: "upstream/1.0",
      "x-internal": "7",
    });
    res.end(body);
    return;
  }
  res.writeHead(200, { "content-type": "application/json", etag: '"big"' });
  res.write(`{"secret":"s","pad":"${"x".repeat(100_000)}`);
  holding = res;
});
let answersUrl: string;
let holding: ServerResponse | null = null;

beforeAll(async () => {
  admin = startAdminApi();
  echo = await startEcho();
  echo.server.prependListener("request", () => {
    hits++;
  });
  answersUrl = await listenLocal(answers);
  gateway = await startGateway(admin.dataDir);
}, 30_000);
afterAll(async () => {
  await gateway?.stop();
  if (echo) await closeServer(echo.server);
  await closeServer(answers);
  admin?.close();
});

async function makeApi(name: string, policies: Array<Record<string, unknown>>, paths = [`/${name}`], url = echo.url) {
  const api = await admin.call("POST", "/apis", { name, upstream: { targets: [{ url }] }, routes: [{ paths }] });
  expect(api.status, JSON.stringify(api.json)).toBe(201);
  for (const policy of policies) {
    const created = await admin.call("POST", "/policies", { ...policy, apiId: api.json.id });
    expect(created.status, JSON.stringify(created.json)).toBe(201);
  }
  await gateway.waitForRevision(currentRevision(admin.db));
}

async function echoed(path: string, init: RequestInit = {}): Promise<Echoed> {
  const res = await fetch(`${gateway.proxyUrl}${path}`, init);
  expect(res.status).toBe(200);
  return (await res.json()) as Echoed;
}

const requestTransformer = (config: Record<string, unknown>) => ({ type: "request-transformer", config });
const postJson = (body: string, headers: Record<string, string> = {}): RequestInit => ({
  method: "POST",
  body,
  headers: { "content-type": "application/json", ...headers },
});

test("[TRANSFORM] request headers: add when absent, set, remove and rename reach the upstream", async () => {
  await makeApi("hdrs", [
    requestTransformer({
      headers: {
        add: { "x-added": "a", "x-present": "not used" },
        set: { "x-trace": "gw-$(requestId)" },
        remove: ["x-secret"],
        rename: { "x-old": "x-new" },
      },
    }),
  ]);
  const { headers } = await echoed("/hdrs/x", {
    headers: { "x-present": "client", "x-secret": "s", "x-old": "v", "x-request-id": "req-abc" },
  });
  expect(headers).toMatchObject({ "x-added": "a", "x-present": "client", "x-trace": "gw-req-abc", "x-new": "v" });
  expect(headers["x-secret"]).toBeUndefined();
  expect(headers["x-old"]).toBeUndefined();
});

test("[TRANSFORM] query parameters are rewritten; the others keep their bytes", async () => {
  await makeApi("qry", [
    requestTransformer({
      query: { remove: ["token"], rename: { q: "search" }, set: { page: "1" }, add: { tenant: "$(headers.x-tenant)" } },
    }),
  ]);
  const { path } = await echoed("/qry/list?q=a%20b&token=t&page=9&sort=-id", { headers: { "x-tenant": "acme co" } });
  expect(path).toBe("/list?search=a%20b&sort=-id&page=1&tenant=acme%20co");
});

test("[TRANSFORM] the upstream path from route :params, and from a pattern's captures when it matches", async () => {
  await makeApi("users", [requestTransformer({ path: "/v2/accounts/$(params.id)/profile" })], ["/users/:id"]);
  expect((await echoed("/users/42")).path).toBe("/v2/accounts/42/profile");
  await makeApi("files", [
    requestTransformer({
      pathPattern: "^/files/(?<year>\\d{4})/(.+)$",
      path: "/archive/$(captures.year)/$(captures.2)",
    }),
  ]);
  expect((await echoed("/files/2024/a/b.txt?v=1")).path).toBe("/archive/2024/a/b.txt?v=1");
  expect((await echoed("/files/latest")).path).toBe("/latest");
});

test("[TRANSFORM] host overrides the Host header the upstream gets", async () => {
  await makeApi("hosted", [requestTransformer({ host: "api.internal:8443" })]);
  expect((await echoed("/hosted/x")).headers.host).toBe("api.internal:8443");
});

test("[TRANSFORM] JSON body fields are added, removed and renamed, with the new Content-Length", async () => {
  await makeApi("signup", [
    requestTransformer({
      body: {
        remove: ["password"],
        rename: { name: "fullName" },
        set: { "meta.request": "$(requestId)" },
        add: { source: "gateway", plan: "ignored" },
      },
    }),
  ]);
  const sent = JSON.stringify({ name: "Al", password: "hunter2", plan: "pro" });
  const got = await echoed("/signup", postJson(sent, { "x-request-id": "req-1" }));
  expect(JSON.parse(got.body as string)).toEqual({
    fullName: "Al",
    plan: "pro",
    meta: { request: "req-1" },
    source: "gateway",
  });
  expect(got.headers["content-length"]).toBe(String(Buffer.byteLength(got.body as string)));
});

test("[TRANSFORM] a larger body and a non-JSON body pass untouched; with refuse, a larger one gets 413", async () => {
  const rules = { body: { set: { added: true } }, maxBodyBytes: 1024 };
  await makeApi("passes", [requestTransformer(rules)]);
  const large = JSON.stringify({ pad: "x".repeat(5000) });
  const got = await echoed("/passes", postJson(large));
  expect(got.body).toBe(large);
  expect(got.headers["content-length"]).toBe(String(large.length));
  const streamed = new ReadableStream({
    start(controller) {
      controller.enqueue(new TextEncoder().encode(large));
      controller.close();
    },
  });
  expect((await echoed("/passes", { ...postJson(""), body: streamed, duplex: "half" } as RequestInit)).body).toBe(
    large,
  );
  const text = await echoed("/passes", { method: "POST", body: "a=1&b=2", headers: { "content-type": "text/plain" } });
  expect(text.body).toBe("a=1&b=2");
  expect(JSON.parse((await echoed("/passes", postJson("{}"))).body as string)).toEqual({ added: true });

  await makeApi("strict", [requestTransformer({ ...rules, onLargeBody: "refuse" })]);
  const before = hits;
  const refused = await fetch(`${gateway.proxyUrl}/strict`, postJson(large));
  expect(refused.status).toBe(413);
  expect((await refused.json()).error.code).toBe("payload_too_large");
  const notJson = await fetch(`${gateway.proxyUrl}/strict`, { method: "POST", body: "a=1" });
  expect(notJson.status).toBe(400);
  expect((await notJson.json()).error.code).toBe("bad_request");
  expect(hits).toBe(before);
});

test("[TRANSFORM] response headers and a JSON answer are rewritten; a larger answer streams untouched", async () => {
  await makeApi(
    "answers",
    [
      {
        type: "response-transformer",
        config: {
          headers: { remove: ["server"], rename: { "x-internal": "x-id" }, set: { "x-served-for": "$(requestId)" } },
          body: { remove: ["secret"], set: { "meta.caller": "$(headers.x-caller)" } },
          maxBodyBytes: 64 * 1024,
        },
      },
    ],
    ["/answers"],
    answersUrl,
  );
  const doc = await fetch(`${gateway.proxyUrl}/answers/doc`, {
    headers: { "x-request-id": "req-9", "x-caller": "ci" },
  });
  const text = await doc.text();
  expect(JSON.parse(text)).toEqual({ id: 1, items: [1, 2], meta: { caller: "ci" } });
  expect(doc.headers.get("content-length")).toBe(String(Buffer.byteLength(text)));
  expect(doc.headers.get("x-served-for")).toBe("req-9");
  expect(doc.headers.get("x-id")).toBe("7");
  expect([doc.headers.get("server"), doc.headers.get("etag"), doc.headers.get("content-md5")]).toEqual([
    null,
    null,
    null,
  ]);

  // The upstream holds the end of its answer back until the client has a first part: a gateway
  // that held the whole answer to rewrite it would wait forever here.
  const big = await fetch(`${gateway.proxyUrl}/answers/big`);
  expect(big.headers.get("etag")).toBe('"big"');
  const reader = (big.body as ReadableStream<Uint8Array>).getReader();
  const parts: Uint8Array[] = [(await reader.read()).value as Uint8Array];
  holding?.end('"}');
  for (let next = await reader.read(); !next.done; next = await reader.read()) parts.push(next.value);
  expect(Buffer.concat(parts).toString()).toBe(`{"secret":"s","pad":"${"x".repeat(100_000)}"}`);
});

test("[TRANSFORM] a jwt claim fills a request header", async () => {
  const secret = "a-shared-secret-that-is-long-enough-0123456789";
  await admin.call("POST", "/consumers", { name: "carol" });
  await makeApi("claims", [
    { type: "jwt", config: { algorithms: ["HS256"], secret } },
    requestTransformer({ headers: { set: { "x-user-email": "$(claims.email)", "x-user": "$(consumer.name)" } } }),
  ]);
  const token = await new SignJWT({ email: "carol@example.com" })
    .setProtectedHeader({ alg: "HS256" })
    .setSubject("carol")
    .setExpirationTime("5m")
    .sign(new TextEncoder().encode(secret));
  const { headers } = await echoed("/claims/me", { headers: { authorization: `Bearer ${token}` } });
  expect(headers).toMatchObject({ "x-user-email": "carol@example.com", "x-user": "carol" });
});

test("[TRANSFORM] the Admin API refuses a bad rule with its field path and stores nothing", async () => {
  const before = currentRevision(admin.db);
  const bad = await admin.call("POST", "/policies", {
    type: "request-transformer",
    config: { headers: { set: { connection: "close" }, add: { "x-a": "$(consumer.email)" } } },
  });
  expect(bad.status).toBe(400);
  expect(bad.json.error.fields.map((field: { path: string }) => field.path).sort()).toEqual([
    "config.headers.add.x-a",
    "config.headers.set.connection",
  ]);
  expect(currentRevision(admin.db)).toBe(before);
});
