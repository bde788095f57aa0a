/** Tokens are counted in fifths so the 0.2 deposit stays an exact integer. */
const UNIT = 5;

export interface RetryBudgetOptions {
  /** Retries earned per request sent: 0.2 means retries add at most 20% load in an outage. */
  ratio?: number;
  /** Retries always allowed per second, so a quiet pool can still retry its few failures. */
  minPerSecond?: number;
  /** Earned retries kept at most, so a long calm spell does not bank a burst. */
  maxBanked?: number;
  now?: () => number;
}

/**
 * A token bucket for retries (after Finagle's RetryBudget): each request deposits `ratio`,
 * each retry withdraws one, and a separate reserve refills at `minPerSecond`. When every
 * target fails, retries stay near ratio × traffic + minPerSecond instead of multiplying it.
 */
export class RetryBudget {
  readonly #deposit: number;
  readonly #max: number;
  readonly #minPerSecond: number;
  readonly #now: () => number;
  #tokens = 0;
  #reserve: number;
  #reserveAt: number;

  constructor({
    ratio = 0.2,
    minPerSecond = 10,
    maxBanked = 100,
    now = performance.now.bind(performance),
  }: RetryBudgetOptions = {}) {
    this.#deposit = Math.round(ratio * UNIT);
    this.#max = maxBanked * UNIT;
    this.#minPerSecond = minPerSecond;
    this.#now = now;
    this.#reserve = minPerSecond;
    this.#reserveAt = now();
  }

  deposit(): void {
    this.#tokens = Math.min(this.#tokens + this.#deposit, this.#max);
  }

  /** Takes one retry from the budget; false when the budget is spent. */
  withdraw(): boolean {
    if (this.#tokens >= UNIT) {
      this.#tokens -= UNIT;
      return true;
    }
    const now = this.#now();
    this.#reserve = Math.min(this.#minPerSecond, this.#reserve + ((now - this.#reserveAt) / 1000) * this.#minPerSecond);
    this.#reserveAt = now;
    if (this.#reserve < 1) return false;
    this.#reserve -= 1;
    return true;
  }
}
