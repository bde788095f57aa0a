import { fits, WINDOW_MS, type Window, type WindowCheck, type WindowCounts, type WindowStore } from "./window.ts";

interface Counter extends WindowCounts {
  start: number;
}

interface Entry {
  counters: Partial<Record<Window, Counter>>;
  /** When every counter has stopped mattering: the end of the fixed window after its current one. */
  expires: number;
  /** When the entry last moved to the end of the recency order. */
  touched: number;
}

/** Identities beyond this evict the least recently seen one, whose counts start afresh. */
export const MAX_IDENTITIES = 100_000;
const SWEEP_EVERY_MS = 60_000;
/**
 * Recency is kept to this granularity: an identity seen again moves to the end of the order at
 * most this often. Moving it on every request (a Map delete and set) left the Map so many holes
 * that it rebuilt its table every few requests of a busy identity.
 */
const TOUCH_EVERY_MS = 1_000;

/**
 * Counters for one policy in one thread; WindowTable shares them among a host's threads. Every
 * call runs to completion before another starts on its thread, so check-and-count is atomic.
 */
export class MemoryStore implements WindowStore {
  /** In least-recently-seen order (to the second): a hit moves its entry to the end. */
  readonly #entries = new Map<string, Entry>();
  readonly #maxEntries: number;
  #lastSweep = Number.NEGATIVE_INFINITY;

  constructor(maxEntries = MAX_IDENTITIES) {
    this.#maxEntries = maxEntries;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** Counts the request in every window when all have room; returns the counts either way. */
  hit(identity: string, checks: readonly WindowCheck[], now: number): { admitted: boolean; counts: WindowCounts[] } {
    this.#sweep(now);
    let entry = this.#entries.get(identity);
    if (entry === undefined) {
      if (this.#entries.size >= this.#maxEntries) this.#evictOldest();
      entry = { counters: {}, expires: 0, touched: now };
      this.#entries.set(identity, entry);
    } else if (now - entry.touched >= TOUCH_EVERY_MS) {
      entry.touched = now;
      this.#entries.delete(identity);
      this.#entries.set(identity, entry);
    }

    // Plain loops over exact-size arrays: this runs on every request. Rolling a counter twice is
    // a no-op the second time, so the first pass needs no array of counters.
    let admitted = true;
    for (const check of checks) {
      if (!fits(rolled(entry, check), check)) admitted = false;
      entry.expires = Math.max(entry.expires, check.start + 2 * WINDOW_MS[check.window]);
    }
    const counts: WindowCounts[] = new Array(checks.length);
    for (let i = 0; i < checks.length; i++) {
      const counter = rolled(entry, checks[i] as WindowCheck);
      if (admitted) counter.current++;
      counts[i] = { previous: counter.previous, current: counter.current };
    }
    return { admitted, counts };
  }

  #sweep(now: number): void {
    if (now - this.#lastSweep < SWEEP_EVERY_MS) return;
    this.#lastSweep = now;
    for (const [identity, entry] of this.#entries) if (entry.expires <= now) this.#entries.delete(identity);
  }

  #evictOldest(): void {
    for (const identity of this.#entries.keys()) {
      this.#entries.delete(identity);
      return;
    }
  }
}

/** The entry's counter for a window, moved on to the fixed window `check` falls in. */
function rolled(entry: Entry, check: WindowCheck): Counter {
  const counter = entry.counters[check.window];
  if (counter === undefined) {
    const fresh = { start: check.start, previous: 0, current: 0 };
    entry.counters[check.window] = fresh;
    return fresh;
  }
  // A clock that stepped back keeps counting into the newer window rather than forgetting it.
  if (counter.start >= check.start) return counter;
  counter.previous = counter.start === check.start - WINDOW_MS[check.window] ? counter.current : 0;
  counter.current = 0;
  counter.start = check.start;
  return counter;
}
