import type { RawKey } from "@gatehouse/db";
import {
  allocateShare,
  capacityOf,
  DIGEST_BYTES,
  DIGEST_WORDS,
  FIELD_CONSUMER_AT,
  FIELD_CONSUMER_END,
  FIELD_EXTRA_AT,
  FIELD_EXTRA_END,
  FIELD_ID_AT,
  FIELD_ID_END,
  FIELD_SEQUENCE,
  FIELDS,
  type KeyIndexShare,
  startOf,
  TIME_EXPIRES,
  TIME_REVOKED,
  TIMES,
} from "./key-table-layout.ts";

/** Hex digit value by character code; -1 for anything else. */
const NIBBLES = new Int8Array(128).fill(-1);
for (let c = 0; c < 16; c++) {
  NIBBLES[c.toString(16).charCodeAt(0)] = c;
  NIBBLES[c.toString(16).toUpperCase().charCodeAt(0)] = c;
}

/**
 * Writes keys into one generation of shared buffers; only the host thread holds one. Keys are
 * never removed (a deleted key reloads everything), so the table needs no tombstones. A row that
 * does not fit leaves the buffers untouched and `set` says so: the caller moves to `grown()`.
 */
export class KeyTableWriter {
  readonly share: KeyIndexShare;
  #size = 0;
  readonly #capacity: number;
  readonly #counts: Int32Array;
  readonly #table: Int32Array;
  readonly #digests: Int32Array;
  readonly #times: Float64Array;
  readonly #fields: Int32Array;
  readonly #pool: Buffer;
  #poolUsed = 0;
  /** Keys of one consumer point at one copy of its id: consumer id → pool offset. */
  readonly #consumers = new Map<string, number>();
  /** The digest being set, as bytes and as the words the table compares. */
  readonly #scratch = new Uint8Array(DIGEST_BYTES);
  readonly #words = new Int32Array(this.#scratch.buffer);

  constructor(share: KeyIndexShare) {
    this.share = share;
    this.#capacity = capacityOf(share);
    this.#counts = new Int32Array(share.counts);
    this.#table = new Int32Array(share.table);
    this.#digests = new Int32Array(share.digests);
    this.#times = new Float64Array(share.times);
    this.#fields = new Int32Array(share.fields);
    this.#pool = Buffer.from(share.pool);
  }

  get size(): number {
    return this.#size;
  }

  /** Pool bytes written so far: enough for a fresh load of these keys. */
  get poolUsed(): number {
    return this.#poolUsed;
  }

  /** Every key as a row again, in pages; keys set between pages are included, as this writer is the host's. */
  *pages(pageSize: number): Generator<RawKey[]> {
    for (let from = 0; from < this.#size; from += pageSize) {
      const page: RawKey[] = [];
      const end = Math.min(this.#size, from + pageSize);
      for (let slot = from; slot < end; slot++) page.push(this.#row(slot));
      yield page;
    }
  }

  /**
   * Stores a row: into its slot when the digest is known, under the slot's sequence counter so a
   * reader sees the old fields or the new ones, never a mix; else into the next slot, entered
   * into the table last so a reader that finds it finds it whole. False when it does not fit.
   */
  set(row: RawKey): boolean {
    const [hash, id, consumerId, apiIds, expiresAt, revokedAt, limits] = row;
    // A malformed hash could never match a presented key; leaving it out is the same.
    if (!parseDigest(hash, this.#scratch)) return true;
    const extra = apiIds === null && limits === null ? "" : `[${apiIds ?? "null"},${limits ?? "null"}]`;
    let slot = this.#find(this.#words);
    const fresh = slot === -1;
    if (fresh && this.#size === this.#capacity) return false;
    if (fresh) slot = this.#size;
    const at = slot * FIELDS;
    const fields = this.#fields;
    const sameId = !fresh && this.#holds(at + FIELD_ID_AT, id);
    const sameExtra = !fresh && this.#holds(at + FIELD_EXTRA_AT, extra);
    const consumerAt = this.#consumers.get(consumerId);
    const needed =
      (sameId ? 0 : Buffer.byteLength(id)) +
      (consumerAt === undefined ? Buffer.byteLength(consumerId) : 0) +
      (sameExtra ? 0 : Buffer.byteLength(extra));
    if (this.#poolUsed + needed > this.#pool.length) return false;

    const idAt = sameId ? (fields[at + FIELD_ID_AT] as number) : this.#append(id);
    const idEnd = sameId ? (fields[at + FIELD_ID_END] as number) : this.#poolUsed;
    const consumer = consumerAt ?? this.#append(consumerId);
    if (consumerAt === undefined) this.#consumers.set(consumerId, consumer);
    const consumerEnd = consumer + Buffer.byteLength(consumerId);
    const extraAt = sameExtra ? (fields[at + FIELD_EXTRA_AT] as number) : this.#append(extra);
    const extraEnd = sameExtra ? (fields[at + FIELD_EXTRA_END] as number) : this.#poolUsed;

    const sequence = fields[at + FIELD_SEQUENCE] as number;
    if (!fresh) Atomics.store(fields, at + FIELD_SEQUENCE, sequence + 1);
    fields[at + FIELD_ID_AT] = idAt;
    fields[at + FIELD_ID_END] = idEnd;
    fields[at + FIELD_CONSUMER_AT] = consumer;
    fields[at + FIELD_CONSUMER_END] = consumerEnd;
    fields[at + FIELD_EXTRA_AT] = extraAt;
    fields[at + FIELD_EXTRA_END] = extraEnd;
    this.#times[slot * TIMES + TIME_EXPIRES] = expiresAt === null ? Number.NaN : Date.parse(expiresAt);
    this.#times[slot * TIMES + TIME_REVOKED] = revokedAt === null ? Number.NaN : Date.parse(revokedAt);
    if (!fresh) {
      Atomics.store(fields, at + FIELD_SEQUENCE, sequence + 2);
      return true;
    }
    this.#digests.set(this.#words, slot * DIGEST_WORDS);
    this.#place(slot);
    this.#size++;
    Atomics.store(this.#counts, 0, this.#size);
    return true;
  }

  /**
   * A writer over new buffers holding every key of this one, with room for more slots when
   * these are full and twice the pool. These buffers stay as they are, for readers not yet
   * sent the new share.
   */
  grown(): KeyTableWriter {
    const full = this.#size === this.#capacity;
    const capacity = full ? this.#capacity * 2 : this.#capacity;
    const next = new KeyTableWriter(allocateShare(this.share.version + 1, capacity, this.#pool.length * 2));
    next.#digests.set(this.#digests);
    next.#times.set(this.#times);
    next.#fields.set(this.#fields);
    next.#pool.set(this.#pool.subarray(0, this.#poolUsed));
    next.#poolUsed = this.#poolUsed;
    for (const [consumerId, at] of this.#consumers) next.#consumers.set(consumerId, at);
    if (full) for (let slot = 0; slot < this.#size; slot++) next.#place(slot);
    else next.#table.set(this.#table);
    next.#size = this.#size;
    Atomics.store(next.#counts, 0, this.#size);
    return next;
  }

  /** A slot as the row it was set from: the digest in hex, times as ISO strings, API ids and limits as JSON. */
  #row(slot: number): RawKey {
    const fields = this.#fields;
    const at = slot * FIELDS;
    const text = (field: number) =>
      this.#pool.toString("utf8", fields[at + field] as number, fields[at + field + 1] as number);
    const time = (index: number) => {
      const ms = this.#times[slot * TIMES + index] as number;
      return Number.isNaN(ms) ? null : new Date(ms).toISOString();
    };
    const extra = text(FIELD_EXTRA_AT);
    const [apiIds, limits] = extra === "" ? [null, null] : (JSON.parse(extra) as [unknown, unknown]);
    return [
      Buffer.from(this.share.digests, slot * DIGEST_BYTES, DIGEST_BYTES).toString("hex"),
      text(FIELD_ID_AT),
      text(FIELD_CONSUMER_AT),
      apiIds === null ? null : JSON.stringify(apiIds),
      time(TIME_EXPIRES),
      time(TIME_REVOKED),
      limits === null ? null : JSON.stringify(limits),
    ];
  }

  /** Whether the pool bytes a field pair points at spell `text`. */
  #holds(field: number, text: string): boolean {
    const at = this.#fields[field] as number;
    const end = this.#fields[field + 1] as number;
    return end - at === Buffer.byteLength(text) && this.#pool.toString("utf8", at, end) === text;
  }

  /** Copies `text` to the end of the pool; its offset. */
  #append(text: string): number {
    const at = this.#poolUsed;
    this.#poolUsed += this.#pool.write(text, at, "utf8");
    return at;
  }

  /** The slot holding this digest, or -1. Only this thread writes, so plain reads see everything. */
  #find(digest: Int32Array): number {
    const table = this.#table;
    const digests = this.#digests;
    const mask = table.length - 1;
    for (let at = startOf(digest, 0, mask); ; at = (at + 1) & mask) {
      const entry = table[at] as number;
      if (entry === 0) return -1;
      const base = (entry - 1) * DIGEST_WORDS;
      let i = 0;
      while (i < DIGEST_WORDS && digests[base + i] === digest[i]) i++;
      if (i === DIGEST_WORDS) return entry - 1;
    }
  }

  /** Enters a slot whose fields are in place into the table, at the first free position: what publishes it. */
  #place(slot: number): void {
    const table = this.#table;
    const mask = table.length - 1;
    let at = startOf(this.#digests, slot * DIGEST_WORDS, mask);
    while (table[at] !== 0) at = (at + 1) & mask;
    Atomics.store(table, at, slot + 1);
  }
}

/** Parses 64 hex digits into `into`; false when the text is anything else. */
function parseDigest(hex: string, into: Uint8Array): boolean {
  if (hex.length !== DIGEST_BYTES * 2) return false;
  for (let i = 0; i < DIGEST_BYTES; i++) {
    const high = NIBBLES[hex.charCodeAt(2 * i)] ?? -1;
    const low = NIBBLES[hex.charCodeAt(2 * i + 1)] ?? -1;
    if (high < 0 || low < 0) return false;
    into[i] = (high << 4) | low;
  }
  return true;
}
