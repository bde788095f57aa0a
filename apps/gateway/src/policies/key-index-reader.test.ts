import { once } from "node:events";
import { Worker } from "node:worker_threads";
import { apiKeys, consumers } from "@gatehouse/db";
import { digestOfHash, generateApiKey } from "@gatehouse/policies/api-key";
import { eq } from "drizzle-orm";
import { afterAll, expect, test } from "vitest";
import { TestConfigDb } from "../test-support/config-db.ts";
import type { LookupRequest, SpinRequest, SpinResult } from "../test-support/key-reader-worker.ts";
import { KeyIndex } from "./key-index.ts";
import type { KeyIndexShare } from "./key-table-layout.ts";

const config = new TestConfigDb();
config.db.insert(consumers).values({ id: "con_a", name: "con_a" }).run();
const workers: Worker[] = [];
afterAll(async () => {
  await Promise.all(workers.map((worker) => worker.terminate()));
  config.db.$client.close();
});

function addKey(id: string, fields: Partial<typeof apiKeys.$inferInsert> = {}): string {
  const key = generateApiKey();
  config.db
    .insert(apiKeys)
    .values({ id, consumerId: "con_a", prefix: key.prefix, hash: key.hash, ...fields })
    .run();
  return digestOfHash(key.hash);
}

function startReader(share: KeyIndexShare): Worker {
  const worker = new Worker(new URL("../test-support/key-reader-worker.ts", import.meta.url), {
    workerData: { share },
  });
  workers.push(worker);
  return worker;
}

async function ask<T>(worker: Worker, request: LookupRequest | SpinRequest): Promise<T> {
  const answer = once(worker, "message");
  worker.postMessage(request);
  return (await answer)[0] as T;
}

test("a reader in a worker thread sees keys issued, revoked and reloaded through the host's share", async () => {
  const digests = Array.from({ length: 3 }, (_, i) => addKey(`key_${i}`));
  digests.push(addKey("key_scoped", { apiIds: ["api_1"], limits: { hour: 5 }, expiresAt: "2031-01-01T00:00:00.000Z" }));
  const index = new KeyIndex();
  index.loadAll(config.db.$client);
  const worker = startReader(index.share());
  const lookup = (lookup: string[], share?: KeyIndexShare) =>
    ask<unknown[]>(worker, share ? { share, lookup } : { lookup });
  const hostView = (list: string[]) => list.map((digest) => index.get(digest) ?? null);

  expect(await lookup(digests)).toEqual(hostView(digests));
  expect(hostView(digests)[3]).toMatchObject({ apiIds: new Set(["api_1"]), limits: { hour: 5 } });

  // Issued and revoked in place: the worker sees both without being sent anything.
  const version = index.shareVersion;
  const revokedAt = "2030-01-01T00:00:00.000Z";
  config.db.update(apiKeys).set({ revokedAt }).where(eq(apiKeys.id, "key_1")).run();
  digests.push(addKey("key_issued"));
  index.refresh(config.db.$client, ["key_1", "key_issued"]);
  expect(index.shareVersion).toBe(version);
  expect(index.share()).toBe(index.share());
  expect(await lookup(digests)).toEqual(hostView(digests));
  expect(hostView(digests)[1]).toMatchObject({ id: "key_1", revokedAt: Date.parse(revokedAt) });
  expect(hostView(digests)[4]).toMatchObject({ id: "key_issued", revokedAt: null });

  // More keys than the buffers hold: new ones, while the worker still reads the old ones whole.
  const before = await lookup(digests);
  const many = Array.from({ length: 1100 }, (_, i) => addKey(`key_more_${i}`));
  index.refresh(
    config.db.$client,
    many.map((_, i) => `key_more_${i}`),
  );
  expect(index.shareVersion).not.toBe(version);
  expect(await lookup(digests)).toEqual(before);
  expect(await lookup(many)).toContain(null);
  expect(await lookup([...digests, ...many], index.share())).toEqual(hostView([...digests, ...many]));

  // A reload (a consumer's keys deleted) writes new buffers too; the worker answers from the old until sent them.
  const reloaded = index.shareVersion;
  config.db.delete(apiKeys).where(eq(apiKeys.id, "key_0")).run();
  index.loadAll(config.db.$client);
  expect(index.shareVersion).not.toBe(reloaded);
  expect(index.get(digests[0] as string)).toBeUndefined();
  expect(await lookup(digests.slice(0, 1))).toEqual([expect.objectContaining({ id: "key_0" })]);
  expect(await lookup([...digests, ...many], index.share())).toEqual(hostView([...digests, ...many]));
  expect(index.size).toBe(digests.length - 1 + many.length);
});

test("a key rewritten while a worker reads it in a loop is never seen half old, half new", async () => {
  const revokedFrom = Date.parse("2030-01-01T00:00:00.000Z");
  const expiresFrom = Date.parse("2035-01-01T00:00:00.000Z");
  const state = (n: number) => ({
    revokedAt: new Date(revokedFrom + n).toISOString(),
    expiresAt: new Date(expiresFrom + n).toISOString(),
    limits: { minute: n + 1 },
    apiIds: [`api_${n}`],
  });
  const digest = addKey("key_flipped", state(0));
  const index = new KeyIndex();
  index.loadAll(config.db.$client);
  const version = index.shareVersion;
  const worker = startReader(index.share());
  const control = new Int32Array(new SharedArrayBuffer(8));
  const result = ask<SpinResult>(worker, {
    spin: digest,
    control: control.buffer as SharedArrayBuffer,
    revokedFrom,
    expiresFrom,
  });

  const flips = 500;
  for (let n = 1; n <= flips; n++) {
    config.db.update(apiKeys).set(state(n)).where(eq(apiKeys.id, "key_flipped")).run();
    index.refresh(config.db.$client, ["key_flipped"]);
    // Each state is read at least once after it was written, however the threads are scheduled.
    const reads = Atomics.load(control, 1);
    for (let now = reads; now < reads + 2; now = Atomics.load(control, 1)) Atomics.wait(control, 1, now);
  }
  Atomics.store(control, 0, 1);
  const { reads, torn, states, last } = await result;

  expect(index.shareVersion).toBe(version);
  expect(torn).toBe(0);
  expect(reads).toBeGreaterThan(flips);
  expect(states).toBeGreaterThanOrEqual(flips);
  expect(last).toBe(flips);
});
