import { expect, test } from "vitest";
import type { CachedAnswer } from "./cached-answer.ts";
import { MemoryStore } from "./memory-store.ts";

const NOW = 1_000_000;
const answer = (bytes: number): CachedAnswer => ({
  status: 200,
  headers: {},
  body: Buffer.alloc(bytes),
  storedAt: NOW,
  expiresAt: NOW + 60_000,
  initialAge: 0,
  revision: 1,
  apiId: "api_1",
  path: "/",
  vary: {},
});

test("the store never holds more than its bound: the least recently used answers go first", () => {
  const store = new MemoryStore(10_000);
  for (const key of ["a", "b", "c"]) store.set(key, answer(3_000), 120_000);
  expect(store.size).toBe(3);
  // Reading a makes b the least recently used.
  expect(store.get("a", NOW)).toBeDefined();
  store.set("d", answer(3_000), 120_000);
  expect(store.bytes).toBeLessThanOrEqual(10_000);
  expect(store.get("b", NOW)).toBeUndefined();
  expect(["a", "c", "d"].map((key) => store.get(key, NOW) !== undefined)).toEqual([true, true, true]);
  for (let i = 0; i < 1_000; i++) store.set(`k${i}`, answer(100 + (i % 700)), 120_000);
  expect(store.bytes).toBeLessThanOrEqual(10_000);
  expect(store.get("k999", NOW)).toBeDefined();
});

test("an answer larger than the bound is not kept, and takes nothing out", () => {
  const store = new MemoryStore(10_000);
  store.set("small", answer(100), 120_000);
  store.set("huge", answer(20_000), 120_000);
  expect(store.get("huge", NOW)).toBeUndefined();
  expect(store.get("small", NOW)).toBeDefined();
});

test("replacing a key counts its bytes once; a smaller bound evicts at once; kept past keepMs it is gone", () => {
  const store = new MemoryStore(10_000);
  store.set("a", answer(3_000), 120_000);
  const one = store.bytes;
  store.set("a", answer(3_000), 120_000);
  expect(store.bytes).toBe(one);
  store.set("b", answer(3_000), 120_000);
  store.resize(5_000);
  expect(store.size).toBe(1);
  expect(store.get("b", NOW)).toBeDefined();
  expect(store.get("b", NOW + 120_000)).toBeUndefined();
  expect(store.bytes).toBe(0);
});
