import { MemoryStore } from "./memory-store.ts";

/** A request gone upstream for a key: others asking for it meanwhile wait for its outcome. */
export interface Flight {
  settled: Promise<void>;
}

/**
 * What a proxy-cache policy keeps across revisions (services.state): its memory store and the
 * requests in flight, so a reload neither empties the cache nor lets a second leader go.
 */
export class CacheState {
  readonly flights = new Map<string, Flight>();
  #memory: MemoryStore | null = null;

  memory(maxBytes: number): MemoryStore {
    if (this.#memory === null) this.#memory = new MemoryStore(maxBytes);
    else this.#memory.resize(maxBytes);
    return this.#memory;
  }

  /** The policy moved to Redis: what memory held is of no more use. */
  dropMemory(): void {
    this.#memory = null;
  }

  /** Starts a flight for `key`; the returned function ends it, once. */
  lead(key: string): () => void {
    let end!: () => void;
    const flight: Flight = { settled: new Promise<void>((resolve) => (end = resolve)) };
    this.flights.set(key, flight);
    return () => {
      if (this.flights.get(key) === flight) this.flights.delete(key);
      end();
    };
  }
}
