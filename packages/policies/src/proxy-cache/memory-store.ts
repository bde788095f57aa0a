import type { CachedAnswer, CacheStore } from "./cached-answer.ts";

interface Slot {
  answer: CachedAnswer;
  bytes: number;
  /** Epoch ms after which the slot is dropped rather than answered as expired. */
  keepUntil: number;
}

/** What an answer costs beyond its body: key, headers and bookkeeping, roughly. */
function sizeOf(key: string, answer: CachedAnswer): number {
  let bytes = key.length + answer.body.length + 256;
  for (const name in answer.headers) bytes += name.length + String(answer.headers[name]).length;
  return bytes;
}

/**
 * Answers kept in this thread's memory, at most `maxBytes` of them: past that the least
 * recently used go first. A Map keeps insertion order, so a read moves an entry to the end.
 */
export class MemoryStore implements CacheStore {
  readonly #slots = new Map<string, Slot>();
  #bytes = 0;
  #maxBytes: number;

  constructor(maxBytes: number) {
    this.#maxBytes = maxBytes;
  }

  get bytes(): number {
    return this.#bytes;
  }

  get size(): number {
    return this.#slots.size;
  }

  /** A new revision may change the bound; the answers kept so far stay within the new one. */
  resize(maxBytes: number): void {
    this.#maxBytes = maxBytes;
    this.#evict();
  }

  get(key: string, now = Date.now()): CachedAnswer | undefined {
    const slot = this.#slots.get(key);
    if (slot === undefined) return undefined;
    this.#slots.delete(key);
    if (slot.keepUntil <= now) {
      this.#bytes -= slot.bytes;
      return undefined;
    }
    this.#slots.set(key, slot);
    return slot.answer;
  }

  set(key: string, answer: CachedAnswer, keepMs: number): void {
    this.delete(key);
    const bytes = sizeOf(key, answer);
    if (bytes > this.#maxBytes) return;
    this.#slots.set(key, { answer, bytes, keepUntil: answer.storedAt + keepMs });
    this.#bytes += bytes;
    this.#evict();
  }

  delete(key: string): void {
    const slot = this.#slots.get(key);
    if (slot === undefined) return;
    this.#slots.delete(key);
    this.#bytes -= slot.bytes;
  }

  #evict(): void {
    for (const [key, slot] of this.#slots) {
      if (this.#bytes <= this.#maxBytes) return;
      this.#slots.delete(key);
      this.#bytes -= slot.bytes;
    }
  }
}
