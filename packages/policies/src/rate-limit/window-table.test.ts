import { expect, test } from "vitest";
import { runThreads } from "../shared-memory/threads.ts";
import { windowChecks } from "./window.ts";
import { WindowTable } from "./window-table.ts";

const t0 = Date.parse("2026-11-22T12:00:00Z");
const worker = new URL("./window-table.worker.ts", import.meta.url);

/** Four threads hit the identities at once at one `now`; returns per identity the counts each admitted hit saw. */
async function hammer(limits: { second: number; minute: number }, identities: string[], rounds: number) {
  const table = new WindowTable(WindowTable.allocate(1024));
  const threads = await runThreads<Record<string, number[][]>>(worker, 4, () => ({
    share: table.share(),
    identities,
    rounds,
    now: t0 + 30_000,
    limits,
  }));
  return { threads, seen: (identity: string) => threads.flatMap((thread) => thread[identity] ?? []) };
}

const oneToN = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

test("four threads hammering two identities with 100 a minute admit exactly 100 each", async () => {
  const { seen } = await hammer({ second: 1000, minute: 100 }, ["ip:10.0.0.1", "ip:10.0.0.2"], 2000);
  for (const identity of ["ip:10.0.0.1", "ip:10.0.0.2"]) {
    expect(
      seen(identity)
        .map(([, minute]) => minute)
        .sort((a, b) => (a as number) - (b as number)),
    ).toEqual(oneToN(100));
  }
});

test("four threads admitting at once through a large limit: exactly the limit, and every count seen once in both windows", async () => {
  const limit = 40_000;
  const { threads, seen } = await hammer({ second: limit, minute: limit }, ["consumer:con_1"], limit);
  const admitted = seen("consumer:con_1");
  // No two threads checked the same state: each admitted request saw its own count in each window.
  for (const window of [0, 1]) {
    expect(admitted.map((counts) => counts[window] as number).sort((a, b) => a - b)).toEqual(oneToN(limit));
  }
  // More than one thread got in: they really ran at once rather than one after another.
  expect(threads.filter((thread) => (thread["consumer:con_1"]?.length ?? 0) > 0).length).toBeGreaterThan(1);
});

test("windows roll with the clock: the previous minute weighs in for one minute, then is forgotten", () => {
  const store = new WindowTable(WindowTable.allocate(8)).store("pol_roll");
  const hit = (now: number) => store.hit("key:key_1", windowChecks({ minute: 10, hour: 100 }, now), now);
  for (let i = 0; i < 6; i++) hit(t0 + i);
  expect(hit(t0 + 60_000).counts).toEqual([
    { previous: 6, current: 1 },
    { previous: 0, current: 7 },
  ]);
  // 6 × 0.5 + 1 = 4 in the sliding minute at t0+90 s: six more fit, the seventh does not.
  for (let i = 0; i < 6; i++) expect(hit(t0 + 90_000).admitted).toBe(true);
  expect(hit(t0 + 90_000)).toEqual({
    admitted: false,
    counts: [
      { previous: 6, current: 7 },
      { previous: 0, current: 13 },
    ],
  });
  expect(hit(t0 + 180_000).counts[0]).toEqual({ previous: 0, current: 1 });
  expect(hit(t0 + 3_600_000).counts[1]).toEqual({ previous: 14, current: 1 });
});

test("policies and identities count apart; a clock that steps back keeps counting into the newer window", () => {
  const table = new WindowTable(WindowTable.allocate(64));
  const checks = windowChecks({ minute: 1 }, t0);
  expect(table.store("pol_a").hit("ip:1", checks, t0).admitted).toBe(true);
  expect(table.store("pol_a").hit("ip:1", checks, t0).admitted).toBe(false);
  expect(table.store("pol_b").hit("ip:1", checks, t0).admitted).toBe(true);
  expect(table.store("pol_a").hit("ip:2", checks, t0).admitted).toBe(true);
  const store = table.store("pol_c");
  store.hit("ip:1", windowChecks({ minute: 5 }, t0 + 60_000), t0 + 60_000);
  expect(store.hit("ip:1", windowChecks({ minute: 5 }, t0 + 59_000), t0 + 59_000).counts).toEqual([
    { previous: 0, current: 2 },
  ]);
});

test("a full bucket gives a new identity an expired entry first, else the least recently seen one", () => {
  // Eight entries: one bucket, so every identity competes for it as in a MemoryStore of eight.
  const table = new WindowTable(WindowTable.allocate(8));
  const store = table.store("pol_evict");
  const checks = (now: number) => windowChecks({ second: 5, minute: 10 }, now);
  const names = ["a", "b", "c", "d", "e", "f", "g", "h"];
  for (const name of names) store.hit(name, checks(t0), t0);
  expect(table.size(t0)).toBe(8);
  // Seen again a second later, all but "b" move on in recency; "b" is now the least recently seen.
  for (const name of names) if (name !== "b") store.hit(name, checks(t0 + 1000), t0 + 1000);
  store.hit("i", checks(t0 + 1020), t0 + 1020);
  expect(table.size(t0 + 1020)).toBe(8);
  expect(store.hit("a", checks(t0 + 1030), t0 + 1030).counts[1]).toEqual({ previous: 0, current: 3 });
  expect(store.hit("b", checks(t0 + 1040), t0 + 1040).counts[1]).toEqual({ previous: 0, current: 1 });
  // Once the minute after theirs has passed all have expired: newcomers take their entries, evicting no one live.
  store.hit("late", checks(t0 + 150_000), t0 + 150_000);
  expect(table.size(t0 + 150_000)).toBe(1);
  for (const name of ["j", "k", "l", "m", "n", "o", "p"]) store.hit(name, checks(t0 + 150_000), t0 + 150_000);
  expect(store.hit("late", checks(t0 + 151_000), t0 + 151_000).counts[1]).toEqual({ previous: 0, current: 2 });
  expect(table.size(t0 + 151_000)).toBe(8);
});

test("entries must be a power of two of at least one bucket", () => {
  expect(() => WindowTable.allocate(12)).toThrow("entries must be a power of two of at least 8, not 12");
  expect(() => WindowTable.allocate(4)).toThrow("power of two");
});
