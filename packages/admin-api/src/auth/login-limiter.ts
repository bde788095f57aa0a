/**
 * Counts failed logins per key (email, client address) in a sliding window. In memory: the console
 * is one process, and a restart resetting the counters is an acceptable loss.
 */
export class LoginLimiter {
  readonly #failures = new Map<string, number[]>();
  readonly #max: number;
  readonly #windowMs: number;

  constructor(max = 5, windowMs = 15 * 60_000) {
    this.#max = max;
    this.#windowMs = windowMs;
  }

  /** Seconds until `keys` may try again, or 0. */
  retryAfter(keys: string[], at = Date.now()): number {
    let wait = 0;
    for (const key of keys) {
      const recent = this.#recent(key, at);
      if (recent.length >= this.#max)
        wait = Math.max(wait, Math.ceil(((recent[0] as number) + this.#windowMs - at) / 1000));
    }
    return wait;
  }

  fail(keys: string[], at = Date.now()): void {
    for (const key of keys) this.#failures.set(key, [...this.#recent(key, at), at]);
    if (this.#failures.size > 10_000) this.#prune(at);
  }

  succeed(keys: string[]): void {
    for (const key of keys) this.#failures.delete(key);
  }

  #recent(key: string, at: number): number[] {
    return (this.#failures.get(key) ?? []).filter((t) => t > at - this.#windowMs);
  }

  #prune(at: number): void {
    for (const key of this.#failures.keys()) {
      if (this.#recent(key, at).length === 0) this.#failures.delete(key);
    }
  }
}
