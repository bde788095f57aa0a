import { type AdminApiHarness, startAdminApi } from "@gatehouse/admin-api/test-support";
import { makeCertificate } from "@gatehouse/admin-api/test-support/certificates";
import { currentRevision } from "@gatehouse/db";
import { afterAll, beforeAll, expect, test } from "vitest";
import { closeServer, type GatewayProcess, startEcho, startGateway } from "../test-support/servers.ts";
import { freePort, getH2, getHttps, handshake } from "../test-support/tls-client.ts";

let admin: AdminApiHarness;
let gateway: GatewayProcess;
let echo: Awaited<ReturnType<typeof startEcho>>;
let tlsUrl: string;
const uploadedKeys: string[] = [];

beforeAll(async () => {
  admin = startAdminApi();
  echo = await startEcho();
  gateway = await startGateway(admin.dataDir, { GATEHOUSE_PROXY_TLS_PORT: String(await freePort()) });
  tlsUrl = gateway.tlsUrl as string;
}, 30_000);
afterAll(async () => {
  await gateway?.stop();
  if (echo) await closeServer(echo.server);
  admin?.close();
});

const synced = () => gateway.waitForRevision(currentRevision(admin.db));
const cnOf = (subject: { CN?: string | string[] }) => subject.CN;

async function upload(cn: string, dns: string[]) {
  const pair = makeCertificate({ cn, dns });
  uploadedKeys.push(pair.key);
  const created = await admin.call("POST", "/certificates", pair);
  expect(created.status, created.text).toBe(201);
  return created.json.id as string;
}

test("[TLS] SNI picks the certificate: exact names, then a one-label wildcard, then the self-signed default", async () => {
  const shop = await upload("shop.test", ["shop.test"]);
  await upload("wild.api.test", ["*.api.test"]);
  await upload("exact.api.test", ["exact.api.test"]);
  await synced();
  const served = async (name: string) => cnOf((await handshake(tlsUrl, name)).cert.subject);
  expect(await served("shop.test")).toBe("shop.test");
  expect(await served("SHOP.test")).toBe("shop.test");
  expect(await served("orders.api.test")).toBe("wild.api.test");
  expect(await served("exact.api.test")).toBe("exact.api.test");
  // A wildcard covers one label only.
  expect(await served("a.b.api.test")).toBe("localhost");
  expect(await served("elsewhere.test")).toBe("localhost");
  // No name at all (a client given an IP address) gets the default too, not a failed handshake.
  expect(await served("")).toBe("localhost");
  const offer = await handshake(tlsUrl, "shop.test", { ALPNProtocols: ["h2", "http/1.1"] });
  expect(offer.alpn).toBe("h2");
  await expect(handshake(tlsUrl, "shop.test", { maxVersion: "TLSv1.1" })).rejects.toThrow();

  const metrics = await (await fetch(`${gateway.statusUrl}/metrics`)).text();
  const expiry = new RegExp(`^gatehouse_certificate_expiry_seconds\\{id="${shop}",sni="shop.test"\\} (\\d+)$`, "m");
  const seconds = Number(expiry.exec(metrics)?.[1]);
  // The test certificate is good for 30 days from its making, seconds ago.
  expect(seconds).toBeGreaterThan(29 * 86_400);
  expect(seconds).toBeLessThanOrEqual(30 * 86_400);
});

test("[TLS] a replaced certificate is served on new handshakes without a restart; no handshake fails during the swap", async () => {
  const id = await upload("rotate.test", ["rotate.test"]);
  await synced();
  const before = (await handshake(tlsUrl, "rotate.test")).cert.fingerprint256;
  const renewed = makeCertificate({ cn: "rotate.test", dns: ["rotate.test"], days: 90 });
  uploadedKeys.push(renewed.key);
  const fingerprints: string[] = [];
  let replaced: Promise<unknown> | null = null;
  // Bounded: 400 handshakes at most, the replacement sent after the 20th.
  for (let i = 0; i < 400; i++) {
    if (i === 20) replaced = admin.call("PATCH", `/certificates/${id}`, renewed).then(synced);
    fingerprints.push((await handshake(tlsUrl, "rotate.test")).cert.fingerprint256);
    if (i > 20 && fingerprints.at(-1) !== before && fingerprints.slice(-20).every((f) => f !== before)) break;
  }
  await replaced;
  const after = (await handshake(tlsUrl, "rotate.test")).cert.fingerprint256;
  expect(after).not.toBe(before);
  expect(new Set(fingerprints)).toEqual(new Set([before, after]));
  // Once the new one is served, the old one never comes back (both workers load the revision).
  const firstNew = fingerprints.indexOf(after);
  expect(fingerprints.slice(firstNew + 20).every((f) => f === after)).toBe(true);
}, 30_000);

test("[TLS] HTTP/2 through key-auth and rate-limit gets the answers HTTP/1.1 gets", async () => {
  const api = await admin.call("POST", "/apis", {
    name: "h2",
    upstream: { targets: [{ url: echo.url }] },
    routes: [{ paths: ["/h2"] }],
  });
  for (const policy of [{ type: "key-auth" }, { type: "rate-limit", config: { limits: { minute: 3 } } }]) {
    expect((await admin.call("POST", "/policies", { ...policy, apiId: api.json.id })).status).toBe(201);
  }
  const keyFor = async (name: string) => {
    const consumer = (await admin.call("POST", "/consumers", { name })).json;
    return (await admin.call("POST", `/consumers/${consumer.id}/keys`, { apiIds: [api.json.id] })).json.key as string;
  };
  const h1Key = await keyFor("over-h1");
  const h2Key = await keyFor("over-h2");
  await synced();
  const run = async (get: typeof getHttps, key: string) => {
    const seen: unknown[] = [];
    const missing = await get(`${tlsUrl}/h2/items?x=1`);
    seen.push([missing.status, JSON.parse(missing.body).error.code]);
    for (let i = 0; i < 5; i++) {
      const answer = await get(`${tlsUrl}/h2/items?x=1`, { "x-api-key": key });
      const body = JSON.parse(answer.body);
      const upstream =
        answer.status === 200 ? [body.path, body.headers.host, body.headers["x-forwarded-proto"]] : [body.error.code];
      seen.push([answer.status, ...upstream, answer.headers["ratelimit-remaining"]]);
    }
    return seen;
  };
  const overH1 = await run(getHttps, h1Key);
  const host = new URL(echo.url).host;
  const overH2 = await run(getH2, h2Key);
  expect(overH1).toEqual([
    [401, "key_missing"],
    [200, "/items?x=1", host, "https", "2"],
    [200, "/items?x=1", host, "https", "1"],
    [200, "/items?x=1", host, "https", "0"],
    [429, "rate_limited", "0"],
    [429, "rate_limited", "0"],
  ]);
  expect(overH2).toEqual(overH1);
  const h2Answer = await getH2(`${tlsUrl}/h2/items`, { "x-api-key": h2Key });
  expect(h2Answer.headers.connection).toBeUndefined();
});

test("[TLS] an httpsOnly route: plain GET and HEAD get 308 to the TLS port, other methods 403 https_required", async () => {
  const api = await admin.call("POST", "/apis", {
    name: "secure",
    upstream: { targets: [{ url: echo.url }] },
    routes: [{ paths: ["/secure"], httpsOnly: true }, { paths: ["/open"] }],
  });
  expect(api.status, api.text).toBe(201);
  const flags = api.json.routes.map((route: { paths: string[]; httpsOnly: boolean }) => [
    route.paths[0],
    route.httpsOnly,
  ]);
  expect(Object.fromEntries(flags)).toEqual({ "/secure": true, "/open": false });
  await synced();
  const tlsPort = new URL(tlsUrl).port;
  for (const method of ["GET", "HEAD"]) {
    const plain = await fetch(`${gateway.proxyUrl}/secure/items?page=2`, { method, redirect: "manual" });
    expect([method, plain.status, plain.headers.get("location")]).toEqual([
      method,
      308,
      `https://127.0.0.1:${tlsPort}/secure/items?page=2`,
    ]);
  }
  const posted = await fetch(`${gateway.proxyUrl}/secure/items`, { method: "POST", body: "{}" });
  expect(posted.status).toBe(403);
  expect((await posted.json()).error.code).toBe("https_required");
  expect((await getHttps(`${tlsUrl}/secure/items?page=2`)).status).toBe(200);
  expect((await getH2(`${tlsUrl}/secure/items`)).status).toBe(200);
  expect((await fetch(`${gateway.proxyUrl}/open/items`)).status).toBe(200);
});

test("[TLS] no private key reaches the gateway's output", () => {
  const output = gateway.output();
  expect(output).not.toContain("PRIVATE KEY");
  for (const key of uploadedKeys) {
    expect(output).not.toContain(
      key
        .replace(/-----[^-]+-----/g, "")
        .replace(/\s/g, "")
        .slice(0, 40),
    );
  }
});
