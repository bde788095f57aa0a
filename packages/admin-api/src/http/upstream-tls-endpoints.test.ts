import { auditLog, upstreams } from "@gatehouse/db";
import { eq } from "drizzle-orm";
import { afterEach, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { type AdminApiHarness, startAdminApi } from "../test-support/admin-api-harness.ts";
import { makeTestCertificates, type TestCertificates } from "../test-support/test-certificates.ts";

let certs: TestCertificates;
let h: AdminApiHarness;
beforeAll(() => {
  certs = makeTestCertificates();
});
beforeEach(() => {
  h = startAdminApi();
});
afterEach(() => h.close());

const pool = (tls: Record<string, unknown>) => ({ name: "secure", targets: [{ url: "https://127.0.0.1:9443" }], tls });
const keyBody = (pem: string) => pem.split("\n").slice(1, -2).join("");
const savedTls = (id: string) =>
  h.db.select({ tls: upstreams.tls }).from(upstreams).where(eq(upstreams.id, id)).get()?.tls;

async function refused(method: string, url: string, body: unknown, path: string) {
  const answer = await h.call(method, url, body);
  expect(answer.status, JSON.stringify(answer.json)).toBe(400);
  expect(answer.json.error.fields.map((field: { path: string }) => field.path)).toContain(path);
}

describe("[UPSTREAM-TLS] a pool's TLS settings through the Admin API", () => {
  test("a pool with a CA, an SNI and a client certificate is saved; the key is never shown, nor audited", async () => {
    const mtls = { clientCertificate: certs.client.cert, clientKey: certs.client.key };
    const created = await h.call(
      "POST",
      "/upstreams",
      pool({ caBundle: certs.ca.cert, serverName: "Upstream.Test", ...mtls }),
    );
    expect(created.status, JSON.stringify(created.json)).toBe(201);
    expect(created.json.tls).toEqual({
      caBundle: certs.ca.cert.trim(),
      serverName: "upstream.test",
      clientCertificate: certs.client.cert.trim(),
      skipVerify: false,
    });
    expect(savedTls(created.json.id)?.clientKey).toBe(certs.client.key.trim());

    const renamed = await h.call("PATCH", `/upstreams/${created.json.id}`, { name: "secure-2" });
    const answers = [
      created,
      renamed,
      await h.call("GET", `/upstreams/${created.json.id}`),
      await h.call("GET", "/upstreams"),
      await h.call("GET", "/audit"),
    ];
    const audit = JSON.stringify(h.db.select().from(auditLog).all());
    expect(audit).toContain(certs.client.cert.trim().split("\n")[1]);
    for (const text of [...answers.map((answer) => answer.text), audit]) {
      expect(text).not.toContain(keyBody(certs.client.key).slice(0, 40));
      expect(text).not.toContain("clientKey");
    }
  });

  test("PEM that does not parse, a key without its certificate or not its own: a 400 naming the field, nothing stored", async () => {
    // Framed as PEM, but with half its body gone.
    const lines = certs.ca.cert.trim().split("\n");
    const broken = [...lines.slice(0, 3), ...lines.slice(-2)].join("\n");
    await refused("POST", "/upstreams", pool({ caBundle: "not a pem" }), "tls.caBundle");
    await refused("POST", "/upstreams", pool({ caBundle: broken }), "tls.caBundle");
    await refused(
      "POST",
      "/upstreams",
      pool({ clientCertificate: broken, clientKey: certs.client.key }),
      "tls.clientCertificate",
    );
    await refused(
      "POST",
      "/upstreams",
      pool({
        clientCertificate: certs.client.cert,
        clientKey: "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----",
      }),
      "tls.clientKey",
    );
    await refused(
      "POST",
      "/upstreams",
      pool({ clientCertificate: certs.client.cert, clientKey: certs.server.key }),
      "tls.clientKey",
    );
    await refused("POST", "/upstreams", pool({ clientCertificate: certs.client.cert }), "tls.clientKey");
    await refused("POST", "/upstreams", pool({ clientKey: certs.client.key }), "tls.clientCertificate");
    await refused("POST", "/upstreams", pool({ serverName: "not a name" }), "tls.serverName");
    await refused(
      "POST",
      "/apis",
      { name: "inline", upstream: pool({ caBundle: "nope" }), routes: [{ paths: ["/inline"] }] },
      "upstream.tls.caBundle",
    );
    expect(h.db.select().from(upstreams).all()).toEqual([]);
  });

  test("a PATCH replaces the TLS settings; the certificate sent back without the key keeps the saved key", async () => {
    const created = await h.call(
      "POST",
      "/upstreams",
      pool({ clientCertificate: certs.client.cert, clientKey: certs.client.key }),
    );
    const id = created.json.id as string;
    const shown = (await h.call("GET", `/upstreams/${id}`)).json.tls;
    const kept = await h.call("PATCH", `/upstreams/${id}`, { tls: { ...shown, skipVerify: true } });
    expect(kept.status, JSON.stringify(kept.json)).toBe(200);
    expect(kept.json.tls.skipVerify).toBe(true);
    expect(savedTls(id)).toMatchObject({ clientKey: certs.client.key.trim(), skipVerify: true });

    await refused("PATCH", `/upstreams/${id}`, { tls: { clientCertificate: certs.server.cert } }, "tls.clientKey");
    expect(savedTls(id)?.clientCertificate).toBe(certs.client.cert.trim());

    const cleared = await h.call("PATCH", `/upstreams/${id}`, { tls: {} });
    expect(cleared.json.tls).toEqual({ skipVerify: false });
    expect(savedTls(id)).toEqual({ skipVerify: false });
  });
});
