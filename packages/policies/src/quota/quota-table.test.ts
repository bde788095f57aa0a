import { expect, test } from "vitest";
import { runThreads } from "../shared-memory/threads.ts";
import { QuotaTable } from "./quota-table.ts";

const day = Date.UTC(2026, 10, 22);
const month = Date.UTC(2026, 10, 1);
const noon = day + 12 * 3_600_000;
const worker = new URL("./quota-table.worker.ts", import.meta.url);
/** The counts without counting: a limit of 0 refuses, and a refusal counts nothing. */
const peek = (table: QuotaTable, counters: string[], now = noon) =>
  table.admit(
    counters.map((counter) => ({ counter, periodStart: counter.endsWith("month") ? month : day, limit: 0 })),
    now,
  ).used;

test("four threads admitting one consumer's day and month quotas at once: exactly the tighter limit, counted in both", async () => {
  const table = new QuotaTable(QuotaTable.allocate(1024));
  const checks = [
    { counter: "pol_q:consumer:con_1:day", periodStart: day, limit: 30_000 },
    { counter: "pol_q:consumer:con_1:month", periodStart: month, limit: 20_000 },
  ];
  const threads = await runThreads<number[][]>(worker, 4, () => ({
    share: table.share(),
    checks,
    rounds: 20_000,
    now: noon,
  }));
  const admitted = threads.flat();
  // Every admitted request saw a count no other saw, in both counters: none slipped in at limit − 1.
  for (const i of [0, 1]) {
    expect(admitted.map((used) => used[i] as number).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 20_000 }, (_, n) => n),
    );
  }
  expect(peek(table, [checks[0]?.counter as string, checks[1]?.counter as string])).toEqual([20_000, 20_000]);
  expect(threads.filter((thread) => thread.length > 0).length).toBeGreaterThan(1);
});

test("a request counts in every counter or in none, and a new period starts afresh", () => {
  const table = new QuotaTable(QuotaTable.allocate(64));
  const both = (dayLimit: number, now = noon) => [
    { counter: "c:day", periodStart: Math.floor(now / 86_400_000) * 86_400_000, limit: dayLimit },
    { counter: "c:month", periodStart: month, limit: 3 },
  ];
  expect(table.admit(both(2), noon)).toEqual({ used: [0, 0], admitted: true });
  expect(table.admit(both(2), noon)).toEqual({ used: [1, 1], admitted: true });
  expect(table.admit(both(2), noon)).toEqual({ used: [2, 2], admitted: false });
  const tomorrow = noon + 86_400_000;
  expect(table.admit(both(2, tomorrow), tomorrow)).toEqual({ used: [0, 2], admitted: true });
  expect(table.admit(both(2, tomorrow), tomorrow)).toEqual({ used: [1, 3], admitted: false });
  // A clock stepped back to yesterday counts into today's period rather than reopening yesterday's.
  expect(table.admit(both(5), noon)).toEqual({ used: [1, 3], admitted: false });
});

test("load sets counts from analytics.db but never replaces a newer period", () => {
  const table = new QuotaTable(QuotaTable.allocate(64));
  table.load("c:day", day, 7, noon);
  table.load("c:day", day - 86_400_000, 40, noon);
  expect(peek(table, ["c:day"])).toEqual([7]);
  table.load("c:day", day + 86_400_000, 2, noon);
  expect(peek(table, ["c:day"], noon + 86_400_000)).toEqual([2]);
});

test("a full bucket gives a new counter the least recently admitted entry, never one the same request holds", () => {
  // Eight entries: one bucket.
  const table = new QuotaTable(QuotaTable.allocate(8));
  const counters = ["a", "b", "c", "d", "e", "f", "g", "h"].map((name) => `${name}:day`);
  for (const [i, counter] of counters.entries()) table.admit([{ counter, periodStart: day, limit: 10 }], noon + i);
  table.admit([{ counter: "a:day", periodStart: day, limit: 10 }], noon + 100);
  // "b" is the least recently admitted, then "c": the two newcomers take theirs, not each other's.
  expect(
    table.admit(
      [
        { counter: "new1:day", periodStart: day, limit: 10 },
        { counter: "new2:day", periodStart: day, limit: 10 },
      ],
      noon + 200,
    ),
  ).toEqual({ used: [0, 0], admitted: true });
  expect(peek(table, ["a:day", "new1:day", "new2:day", "d:day"], noon + 300)).toEqual([2, 1, 1, 1]);
  expect(peek(table, ["b:day"], noon + 400)).toEqual([0]);
});
