import { fits, WINDOW_MS, type Window, type WindowCheck, type WindowCounts } from "./window.ts";

interface Counter extends WindowCounts {
  start: number;
}

interface Entry {
  counters: Partial<Record<Window, Counter>>;
  /** When every counter has stopped mattering: the end of the fixed window after its current one. */
  expires: number;
}

/** Identities beyond this evict the least recently seen one, whose counts start afresh. */
export const MAX_IDENTITIES = 100_000;
const SWEEP_EVERY_MS = 60_000;

/**
 * Counters for one policy in one gateway process. Every call runs to completion before
 * another starts (Node runs JavaScript on one thread), so check-and-count is atomic.
 */
export class MemoryStore {
  /** In least-recently-seen order: a hit moves its entry to the end. */
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
      entry = { counters: {}, expires: 0 };
    } else {
      this.#entries.delete(identity);
    }
    this.#entries.set(identity, entry);

    // Plain loops: this runs on every request, and map/every allocate closures and arrays.
    const counters: Counter[] = [];
    let admitted = true;
    for (const check of checks) {
      const counter = rolled(entry, check);
      counters.push(counter);
      if (!fits(counter, check)) admitted = false;
      entry.expires = Math.max(entry.expires, check.start + 2 * WINDOW_MS[check.window]);
    }
    const counts: WindowCounts[] = [];
    for (const counter of counters) {
      if (admitted) counter.current++;
      counts.push({ previous: counter.previous, current: counter.current });
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
