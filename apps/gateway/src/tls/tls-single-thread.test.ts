import { type AdminApiHarness, startAdminApi } from "@gatehouse/admin-api/test-support";
import { makeCertificate } from "@gatehouse/admin-api/test-support/certificates";
import { currentRevision } from "@gatehouse/db";
import { afterAll, beforeAll, expect, test } from "vitest";
import { closeServer, type GatewayProcess, startEcho, startGateway } from "../test-support/servers.ts";
import { freePort, getH2, getHttps, handshake } from "../test-support/tls-client.ts";

let admin: AdminApiHarness;
let gateway: GatewayProcess;
let echo: Awaited<ReturnType<typeof startEcho>>;

beforeAll(async () => {
  admin = startAdminApi();
  echo = await startEcho();
  gateway = await startGateway(admin.dataDir, {
    GATEHOUSE_WORKERS: "1",
    GATEHOUSE_PROXY_TLS_PORT: String(await freePort()),
  });
}, 30_000);
afterAll(async () => {
  await gateway?.stop();
  if (echo) await closeServer(echo.server);
  admin?.close();
});

test("[TLS] with one proxy thread the TLS port serves uploaded and replaced certificates, over HTTP/2 and HTTP/1.1", async () => {
  const tlsUrl = gateway.tlsUrl as string;
  expect((await handshake(tlsUrl, "one.test")).cert.subject.CN).toBe("localhost");
  const api = await admin.call("POST", "/apis", {
    name: "one",
    upstream: { targets: [{ url: echo.url }] },
    routes: [{ paths: ["/one"] }],
  });
  expect(api.status).toBe(201);
  const created = await admin.call("POST", "/certificates", makeCertificate({ cn: "one.test", dns: ["one.test"] }));
  await gateway.waitForRevision(currentRevision(admin.db));
  const first = (await handshake(tlsUrl, "one.test")).cert;
  expect(first.subject.CN).toBe("one.test");
  const renewed = makeCertificate({ cn: "one.test", dns: ["one.test"], days: 60 });
  expect((await admin.call("PATCH", `/certificates/${created.json.id}`, renewed)).status).toBe(200);
  await gateway.waitForRevision(currentRevision(admin.db));
  expect((await handshake(tlsUrl, "one.test")).cert.fingerprint256).not.toBe(first.fingerprint256);
  expect((await getHttps(`${tlsUrl}/one/a`)).status).toBe(200);
  expect((await getH2(`${tlsUrl}/one/a`)).status).toBe(200);
});
