import { MemoryStore } from "../packages/policies/src/rate-limit/memory-store.ts";
import { windowChecks } from "../packages/policies/src/rate-limit/window.ts";
import { WindowTable } from "../packages/policies/src/rate-limit/window-table.ts";

/**
 * One thread: MemoryStore.hit against the shared WindowTable's hit (uncontended lock), ns per
 * hit over 10 000 identities, and how many live identities a default table keeps as it fills.
 * Run: node bench/window-store.ts
 */
const identities = Array.from({ length: 10_000 }, (_, i) => `consumer:con_${i}`);
const t0 = Date.parse("2026-11-22T12:00:00Z");
const hits = 3_000_000;

function nsPerHit(store: { hit: MemoryStore["hit"] }): number {
  for (let i = 0; i < 200_000; i++)
    store.hit(identities[i % identities.length] as string, windowChecks({ second: 1e9, minute: 1e9 }, t0), t0);
  const start = process.hrtime.bigint();
  for (let i = 0; i < hits; i++) {
    const now = t0 + (i >> 10);
    store.hit(identities[i % identities.length] as string, windowChecks({ second: 1e9, minute: 1e9 }, now), now);
  }
  return Number(process.hrtime.bigint() - start) / hits;
}

for (let round = 0; round < 3; round++) {
  const memory = nsPerHit(new MemoryStore());
  const shared = nsPerHit(new WindowTable().store("pol_bench"));
  console.log(
    `memory ${memory.toFixed(0)} ns/hit, shared ${shared.toFixed(0)} ns/hit, shared/memory ${(shared / memory).toFixed(2)}`,
  );
}

for (const live of [30_000, 65_000, 100_000, 130_000, 200_000]) {
  const table = new WindowTable();
  const store = table.store("pol_fill");
  const checks = windowChecks({ minute: 10 }, t0);
  for (let i = 0; i < live; i++) store.hit(`ip:${i}`, checks, t0);
  const kept = table.size(t0);
  console.log(
    `${live} live identities in 2^18 entries: ${live - kept} evicted (${((100 * (live - kept)) / live).toFixed(3)}%)`,
  );
}
