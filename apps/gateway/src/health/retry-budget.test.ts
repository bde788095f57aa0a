import { expect, test } from "vitest";
import { RetryBudget } from "./retry-budget.ts";

test("retries are bounded by 20% of requests plus a small per-second reserve", () => {
  let now = 0;
  const budget = new RetryBudget({ ratio: 0.2, minPerSecond: 10, now: () => now });
  let allowed = 0;
  // 1000 requests within one second, every one wanting a retry.
  for (let i = 0; i < 1000; i++) {
    budget.deposit();
    if (budget.withdraw()) allowed++;
  }
  expect(allowed).toBeLessThanOrEqual(200 + 10);
  expect(allowed).toBeGreaterThanOrEqual(200);

  // No traffic: only the reserve refills, at 10 per second, never banking more than 10.
  let quiet = 0;
  now += 60_000;
  while (budget.withdraw()) quiet++;
  expect(quiet).toBe(10);
  now += 500;
  expect(budget.withdraw()).toBe(true);
});
