import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import type { TLSSocket } from "node:tls";
import { type AdminApiHarness, startAdminApi } from "@gatehouse/admin-api/test-support";
import { makeTestCertificates, type TestCertificates } from "@gatehouse/admin-api/test-support/certificates";
import { currentRevision } from "@gatehouse/db";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type GatewayProcess, startGateway } from "../test-support/servers.ts";

let certs: TestCertificates;
let admin: AdminApiHarness;
let gateway: GatewayProcess;
const servers: Server[] = [];
/** Health-check probes that got through the TLS handshake to an upstream, by its URL. */
const probes = new Map<string, number>();

/** An https upstream on 127.0.0.1 that answers with the SNI it was sent and the client certificate's CN. */
async function startUpstream(options: Parameters<typeof createServer>[0]): Promise<string> {
  const server = createServer(options, (req, res) => {
    if (req.headers["user-agent"] === "gatehouse-health-check") probes.set(url, (probes.get(url) ?? 0) + 1);
    const socket = req.socket as TLSSocket;
    const subject = socket.getPeerCertificate().subject;
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify({ sni: socket.servername || null, client: subject?.CN ?? null }));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return url;
}

let caSigned: string;
let mtls: string;
let selfSigned: string;

beforeAll(async () => {
  certs = makeTestCertificates();
  caSigned = await startUpstream({ cert: certs.server.cert, key: certs.server.key });
  mtls = await startUpstream({
    cert: certs.server.cert,
    key: certs.server.key,
    ca: certs.ca.cert,
    requestCert: true,
    rejectUnauthorized: true,
  });
  selfSigned = await startUpstream({ cert: certs.selfSigned.cert, key: certs.selfSigned.key });
  admin = startAdminApi();
  gateway = await startGateway(admin.dataDir);
}, 30_000);
afterAll(async () => {
  await gateway?.stop();
  for (const server of servers) {
    server.closeAllConnections();
    server.close();
  }
  admin?.close();
});

/** An API on its own pool to `url` with these TLS settings; the gateway's answer to a GET of it. */
async function publish(name: string, url: string, tls: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  const api = await admin.call("POST", "/apis", {
    name,
    upstream: { targets: [{ url }], tls, retries: 0, ...extra },
    routes: [{ paths: [`/${name}`] }],
  });
  expect(api.status, JSON.stringify(api.json)).toBe(201);
  await gateway.waitForRevision(currentRevision(admin.db));
  return api.json.upstreamId as string;
}

async function through(name: string, url: string, tls: Record<string, unknown>) {
  await publish(name, url, tls);
  const res = await fetch(`${gateway.proxyUrl}/${name}`);
  const body = await res.text();
  return { status: res.status, body: res.status === 200 ? JSON.parse(body) : body };
}

describe("[UPSTREAM-TLS] the gateway reaches https upstreams as each pool says", () => {
  test("a certificate from the team's own CA is refused with the system roots and served with the pool's CA bundle", async () => {
    expect((await through("system-roots", caSigned, {})).status).toBe(502);
    const trusted = await through("own-ca", caSigned, { caBundle: certs.ca.cert });
    expect(trusted.status).toBe(200);
    expect(trusted.body).toEqual({ sni: null, client: null });
  });

  test("serverName is sent as SNI and is the name the certificate is verified against", async () => {
    const named = await through("sni", caSigned, { caBundle: certs.ca.cert, serverName: "upstream.test" });
    expect(named).toEqual({ status: 200, body: { sni: "upstream.test", client: null } });
    expect((await through("wrong-name", caSigned, { caBundle: certs.ca.cert, serverName: "other.test" })).status).toBe(
      502,
    );
  });

  test("an upstream that demands a client certificate refuses a pool without one and serves the pool with one", async () => {
    expect((await through("no-client-cert", mtls, { caBundle: certs.ca.cert })).status).toBe(502);
    const served = await through("client-cert", mtls, {
      caBundle: certs.ca.cert,
      clientCertificate: certs.client.cert,
      clientKey: certs.client.key,
    });
    expect(served).toEqual({ status: 200, body: { sni: null, client: "gateway" } });
  });

  test("a self-signed upstream is refused unless the pool skips verification", async () => {
    expect((await through("verified", selfSigned, {})).status).toBe(502);
    expect((await through("unverified", selfSigned, { skipVerify: true })).status).toBe(200);
  });

  test("a pool's changed TLS settings reach new connections without a restart", async () => {
    const first = await through("changed", caSigned, {});
    expect(first.status).toBe(502);
    const api = (await admin.call("GET", "/apis?limit=100")).json.data.find(
      (a: { name: string }) => a.name === "changed",
    );
    const patched = await admin.call("PATCH", `/upstreams/${api.upstreamId}`, { tls: { caBundle: certs.ca.cert } });
    expect(patched.status, JSON.stringify(patched.json)).toBe(200);
    await gateway.waitForRevision(currentRevision(admin.db));
    expect((await fetch(`${gateway.proxyUrl}/changed`)).status).toBe(200);
  });

  test("active health checks reach https targets with the pool's TLS settings", async () => {
    const url = await startUpstream({ cert: certs.server.cert, key: certs.server.key });
    const healthChecks = { active: { enabled: true, intervalMs: 100, unhealthyThreshold: 1 } };
    const trusted = await publish("probed", url, { caBundle: certs.ca.cert }, { healthChecks });
    const untrusted = await publish("probed-untrusted", url, {}, { healthChecks });
    const target = async (upstreamId: string) => {
      const res = await fetch(`${gateway.statusUrl}/health/upstreams/${upstreamId}`);
      return (await res.json()).targets[0] as { state: string; lastError: string | null };
    };
    // Only the trusted pool's probes finish a handshake with this server; bounded at 10 s.
    for (let i = 0; i < 100 && ((probes.get(url) ?? 0) < 3 || (await target(untrusted)).state !== "unhealthy"); i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(probes.get(url)).toBeGreaterThanOrEqual(3);
    expect(await target(untrusted)).toMatchObject({ state: "unhealthy", lastError: expect.stringMatching(/VERIFY/) });
    expect((await target(trusted)).state).toBe("healthy");
  });
});
