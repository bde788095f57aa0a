import { statSync } from "node:fs";
import path from "node:path";
import { auditLog, certificates, secretsKey, unseal } from "@gatehouse/db";
import { afterEach, beforeEach, expect, test, vi } from "vitest";
import { type AdminApiHarness, startAdminApi } from "../test-support/admin-api-harness.ts";
import { makeCertificate } from "../test-support/test-certificates.ts";

let h: AdminApiHarness;
let printed: string[];
beforeEach(() => {
  h = startAdminApi();
  printed = [];
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream);
    vi.spyOn(stream, "write").mockImplementation((chunk: string | Uint8Array, ...rest: unknown[]) => {
      printed.push(String(chunk));
      return (write as (...args: unknown[]) => boolean)(chunk, ...rest);
    });
  }
});
afterEach(() => {
  vi.restoreAllMocks();
  h.close();
});

/** The base64 body of a PEM key, the part that must never leak, whatever its line breaks. */
const keyBody = (pem: string) => pem.replace(/-----[^-]+-----/g, "").replace(/\s/g, "");

test("[TLS] an uploaded certificate answers with its public part; its key is sealed with the data dir's secrets key", async () => {
  const pair = makeCertificate({ cn: "api.example.com", dns: ["api.example.com", "*.api.example.com"] });
  const created = await h.call("POST", "/certificates", pair);
  expect(created.status).toBe(201);
  expect(created.json).toMatchObject({
    id: expect.stringMatching(/^crt_/),
    snis: ["api.example.com", "*.api.example.com"],
    subject: "O=Gatehouse Test, CN=api.example.com",
    issuer: "O=Gatehouse Test, CN=api.example.com",
  });
  const days = (Date.parse(created.json.notAfter) - Date.parse(created.json.notBefore)) / 86_400_000;
  expect(Math.round(days)).toBe(30);
  expect(Object.keys(created.json)).not.toContain("key");

  const row = h.db.select().from(certificates).get();
  expect(row?.sealedKey).not.toContain(keyBody(pair.key).slice(0, 40));
  expect(unseal(secretsKey(h.dataDir), row?.sealedKey as string)).toBe(pair.key);
  expect(statSync(path.join(h.dataDir, "secrets.key")).mode & 0o777).toBe(0o600);

  const cnOnly = await h.call("POST", "/certificates", makeCertificate({ cn: "legacy.example.com" }));
  expect(cnOnly.json.snis).toEqual(["legacy.example.com"]);
  const named = await h.call("POST", "/certificates", {
    ...makeCertificate({ cn: "x.test" }),
    snis: ["Shop.Example.com"],
  });
  expect(named.json.snis).toEqual(["shop.example.com"]);
  const list = await h.call("GET", "/certificates");
  expect(list.json.data.map((c: { id: string }) => c.id).sort()).toEqual(
    [created.json.id, cnOnly.json.id, named.json.id].sort(),
  );
});

test("[TLS] a bad PEM, a key of another certificate and a bad name are 400s naming the field, never stored", async () => {
  const pair = makeCertificate({ cn: "a.example.com", dns: ["a.example.com"] });
  const other = makeCertificate({ cn: "b.example.com", dns: ["b.example.com"] });
  const before = (await h.call("GET", "/revision")).json.revision;
  const cases: Array<[unknown, string]> = [
    [{ cert: "not a certificate", key: pair.key }, "cert"],
    [{ cert: pair.cert.replace(/[A-Za-z]{20}/, "A".repeat(20)), key: pair.key }, "cert"],
    [{ cert: pair.cert, key: other.key }, "key"],
    [{ cert: pair.cert, key: "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----" }, "key"],
    [{ cert: pair.cert }, "key"],
    [{ ...pair, snis: ["not a host!"] }, "snis.0"],
    [{ ...pair, extra: 1 }, "extra"],
  ];
  for (const [body, field] of cases) {
    const answer = await h.call("POST", "/certificates", body);
    expect([field, answer.status, answer.json.error.fields[0].path]).toEqual([field, 400, field]);
  }
  expect((await h.call("GET", "/revision")).json.revision).toBe(before);
  expect(h.db.select().from(certificates).all()).toEqual([]);
});

test("[TLS] replace and delete are revisions; the key is in no answer, audit record or output", async () => {
  const first = makeCertificate({ cn: "a.example.com", dns: ["a.example.com"], days: 10 });
  const renewed = makeCertificate({ cn: "a.example.com", dns: ["a.example.com"], days: 90 });
  const created = await h.call("POST", "/certificates", first);
  const id = created.json.id as string;
  const replaced = await h.call("PATCH", `/certificates/${id}`, renewed);
  expect(replaced.status).toBe(200);
  expect(Number(replaced.headers.get("gatehouse-revision"))).toBe(
    Number(created.headers.get("gatehouse-revision")) + 1,
  );
  expect(Date.parse(replaced.json.notAfter)).toBeGreaterThan(Date.parse(created.json.notAfter) + 60 * 86_400_000);
  expect((await h.call("PATCH", `/certificates/${id}`, { cert: renewed.cert, key: first.key })).status).toBe(400);
  const answers = [
    created.text,
    replaced.text,
    (await h.call("GET", `/certificates/${id}`)).text,
    (await h.call("GET", "/certificates")).text,
    (await h.call("GET", "/audit")).text,
    (await h.call("GET", "/revisions")).text,
  ];
  const revision = await h.call("GET", `/revisions/${replaced.headers.get("gatehouse-revision")}`);
  expect(revision.status).toBe(200);
  answers.push(revision.text);
  expect((await h.call("DELETE", `/certificates/${id}`)).status).toBe(204);
  expect((await h.call("GET", `/certificates/${id}`)).status).toBe(404);

  const audit = h.db
    .select()
    .from(auditLog)
    .all()
    .filter((row) => row.entityType === "certificate");
  expect(audit.map((row) => row.action)).toEqual(["create", "update", "delete"]);
  expect(audit[0]?.after).toMatchObject({ id, snis: ["a.example.com"] });
  const everything = [...answers, JSON.stringify(audit), printed.join("")].join("\n");
  for (const pair of [first, renewed]) {
    expect(everything).not.toContain(keyBody(pair.key).slice(0, 40));
    expect(everything).not.toContain("PRIVATE KEY");
  }
});
