import { auditLog, currentRevision, upstreams } from "@gatehouse/db";
import { afterEach, beforeAll, describe, expect, test } from "vitest";
import { type AdminApiHarness, startAdminApi } from "../test-support/admin-api-harness.ts";
import { makeTestCertificates, type TestCertificates } from "../test-support/test-certificates.ts";

let certs: TestCertificates;
beforeAll(() => {
  certs = makeTestCertificates();
});
const harnesses: AdminApiHarness[] = [];
function start() {
  const h = startAdminApi();
  harnesses.push(h);
  return h;
}
afterEach(() => {
  for (const h of harnesses.splice(0)) h.close();
});

async function seed(h: AdminApiHarness) {
  const created = await h.call("POST", "/upstreams", {
    name: "secure",
    targets: [{ url: "https://127.0.0.1:9443" }],
    tls: {
      caBundle: certs.ca.cert,
      serverName: "upstream.test",
      clientCertificate: certs.client.cert,
      clientKey: certs.client.key,
    },
  });
  expect(created.status, JSON.stringify(created.json)).toBe(201);
}

const dump = async (h: AdminApiHarness, format = "json") => {
  const answer = await h.call("GET", `/config?format=${format}`);
  expect(answer.status).toBe(200);
  return answer;
};
const savedKeys = (h: AdminApiHarness) =>
  h.db
    .select({ tls: upstreams.tls })
    .from(upstreams)
    .all()
    .map((row) => row.tls.clientKey);
const keyLine = () => certs.client.key.split("\n")[1] as string;

describe("[UPSTREAM-TLS] a pool's TLS settings in the config file", () => {
  test("a dump carries the TLS settings without the client key; applied back, the saved key stays", async () => {
    const h = start();
    await seed(h);
    const yaml = (await dump(h, "yaml")).text;
    expect(yaml).toContain("serverName: upstream.test");
    expect(yaml).not.toContain(keyLine());
    const file = (await dump(h)).json;
    expect(file.upstreams[0].tls).toEqual({
      caBundle: certs.ca.cert.trim(),
      serverName: "upstream.test",
      clientCertificate: certs.client.cert.trim(),
      skipVerify: false,
    });

    const same = await h.call("POST", "/config/apply", { config: yaml });
    expect(same.json).toMatchObject({ applied: false, changes: [] });

    file.upstreams[0].tls.skipVerify = true;
    const answer = await h.call("POST", "/config/apply", { config: file });
    expect(answer.status, JSON.stringify(answer.json)).toBe(200);
    expect(answer.json.changes[0].fields).toEqual(["tls.skipVerify"]);
    expect(JSON.stringify(answer.json)).not.toContain(keyLine());
    expect(savedKeys(h)).toEqual([certs.client.key.trim()]);
    expect((await dump(h)).json).toEqual(file);
  });

  test("on an instance without the key, the file must bring it; with it, the pool round-trips", async () => {
    const source = start();
    await seed(source);
    const file = (await dump(source)).json;
    const target = start();
    const keyless = await target.call("POST", "/config/apply", { config: file });
    expect(keyless.status).toBe(400);
    expect(keyless.json.error.fields).toEqual([
      { path: "upstreams.0.tls.clientKey", message: "A client certificate needs its key" },
    ]);
    expect(currentRevision(target.db)).toBe(0);

    file.upstreams[0].tls.clientKey = certs.client.key;
    const applied = await target.call("POST", "/config/apply", { config: file });
    expect(applied.status, JSON.stringify(applied.json)).toBe(200);
    expect(savedKeys(target)).toEqual([certs.client.key.trim()]);
    expect(JSON.stringify(applied.json)).not.toContain(keyLine());
    expect(JSON.stringify(target.db.select().from(auditLog).all())).not.toContain(keyLine());
    expect((await dump(target)).json).toEqual((await dump(source)).json);
  });

  test("a CA bundle or key that does not parse is a 400 naming its place in the file, and nothing changes", async () => {
    const h = start();
    await seed(h);
    const before = (await dump(h)).json;
    const revision = currentRevision(h.db);
    const file = structuredClone(before);
    file.upstreams[0].tls.caBundle = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----";
    file.upstreams[0].tls.clientKey = certs.server.key;
    const answer = await h.call("POST", "/config/apply", { config: file });
    expect(answer.status).toBe(400);
    expect(answer.json.error.fields.map((field: { path: string }) => field.path)).toEqual([
      "upstreams.0.tls.caBundle",
      "upstreams.0.tls.clientKey",
    ]);
    expect(currentRevision(h.db)).toBe(revision);
    expect(savedKeys(h)).toEqual([certs.client.key.trim()]);
  });
});
