import { apiKeys, consumers, keyRowPages } from "@gatehouse/db";
import { digestOfHash, generateApiKey } from "@gatehouse/policies/api-key";
import { eq } from "drizzle-orm";
import { afterAll, expect, test } from "vitest";
import { TestConfigDb } from "../test-support/config-db.ts";
import { KeyIndex } from "./key-index.ts";

const config = new TestConfigDb();
afterAll(() => config.db.$client.close());

function addConsumer(id: string): void {
  config.db.insert(consumers).values({ id, name: id }).run();
}

function addKey(id: string, consumerId: string, fields: Partial<typeof apiKeys.$inferInsert> = {}): string {
  const key = generateApiKey();
  config.db
    .insert(apiKeys)
    .values({ id, consumerId, prefix: key.prefix, hash: key.hash, ...fields })
    .run();
  return digestOfHash(key.hash);
}

test("every key's identity comes back as config.db has it, through a full load and a refresh", () => {
  addConsumer("con_a");
  addConsumer("con_b");
  // More keys than the first column allocation, and than one page of the load.
  const plain = Array.from({ length: 6000 }, (_, i) => addKey(`key_${i}`, i % 2 === 0 ? "con_a" : "con_b"));
  const scoped = addKey("key_scoped", "con_a", {
    apiIds: ["api_1", "api_2"],
    limits: { minute: 10 },
    expiresAt: "2031-01-02T03:04:05.000Z",
  });
  const index = new KeyIndex();
  index.loadAll(config.db.$client);

  expect(index.size).toBe(6001);
  expect(index.get(plain[5999] as string)).toEqual({
    id: "key_5999",
    consumerId: "con_b",
    apiIds: null,
    expiresAt: null,
    revokedAt: null,
    limits: {},
  });
  expect(index.get(scoped)).toEqual({
    id: "key_scoped",
    consumerId: "con_a",
    apiIds: new Set(["api_1", "api_2"]),
    expiresAt: Date.parse("2031-01-02T03:04:05.000Z"),
    revokedAt: null,
    limits: { minute: 10 },
  });
  expect(index.get(digestOfHash(generateApiKey().hash))).toBeUndefined();
  // Every key is found as itself along its probe chain, in an index sized by the load and in
  // one that grew key by key (refreshed with every id, from its smallest size).
  const grown = new KeyIndex();
  grown.refresh(
    config.db.$client,
    plain.map((_, i) => `key_${i}`),
  );
  expect(grown.size).toBe(6000);
  plain.forEach((digest, i) => {
    expect(index.get(digest)?.id).toBe(`key_${i}`);
    expect(grown.get(digest)?.id).toBe(`key_${i}`);
  });
  // A digest that starts like a stored one, so it probes the same chain, is still no match.
  const lastByte = String.fromCharCode((scoped.charCodeAt(31) + 1) % 256);
  expect(index.get(scoped.slice(0, 31) + lastByte)).toBeUndefined();
  expect(index.get(scoped.slice(0, 31))).toBeUndefined();

  // Revoke one key, widen the scoped one to every API, issue a new one: only those are read.
  const revokedAt = "2030-05-06T07:08:09.000Z";
  config.db.update(apiKeys).set({ revokedAt }).where(eq(apiKeys.id, "key_7")).run();
  config.db.update(apiKeys).set({ apiIds: [], limits: {}, expiresAt: null }).where(eq(apiKeys.id, "key_scoped")).run();
  const issued = addKey("key_new", "con_b");
  index.refresh(config.db.$client, ["key_7", "key_scoped", "key_new"]);

  expect(index.size).toBe(6002);
  expect(index.get(plain[7] as string)?.revokedAt).toBe(Date.parse(revokedAt));
  expect(index.get(scoped)).toMatchObject({ apiIds: null, expiresAt: null, limits: {} });
  expect(index.get(issued)).toMatchObject({ id: "key_new", consumerId: "con_b", revokedAt: null });
  expect(index.get(plain[8] as string)).toMatchObject({ id: "key_8", revokedAt: null });
});

// Over the keys the test above left: a revoked one, a scoped one, 6,000 plain ones.
test("the rows read back out of an index load an equal one: what a node's cache keeps", () => {
  const index = new KeyIndex();
  index.loadAll(config.db.$client);
  const pages = [...index.pages(1000)];
  expect(pages.flat()).toHaveLength(index.size);
  // The rows as config.db gives them, but for NULL times and the '[]' / '{}' config.db leaves out.
  const fromDb = new Map([...keyRowPages(config.db.$client)].flat().map((row) => [row[1], row]));
  for (const row of pages.flat()) expect(row).toEqual(fromDb.get(row[1]));

  const copy = new KeyIndex();
  copy.replaceAll(index.totals(), pages);
  expect(copy.size).toBe(index.size);
  for (const [hash] of fromDb.values()) expect(copy.get(digestOfHash(hash))).toEqual(index.get(digestOfHash(hash)));
  expect(copy.get(digestOfHash(fromDb.get("key_7")?.[0] as string))?.revokedAt).not.toBeNull();
});
