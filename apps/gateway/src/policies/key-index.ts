import type { KeyIdentity } from "@gatehouse/policies";
import type { KeyLimits } from "@gatehouse/shared";
import type Database from "better-sqlite3";

// Nearly every key has no API scope or limits of its own: NULL saves two strings a row on a full load.
const COLUMNS = "hash, id, consumer_id, NULLIF(api_ids, '[]'), expires_at, revoked_at, NULLIF(limits, '{}')";
type RawKey = [string, string, string, string | null, string | null, string | null, string | null];

const NO_LIMITS: KeyLimits = Object.freeze({});

/**
 * Every API key by the SHA-256 digest of the key (32 latin1 characters): one hash-table probe
 * per request. It outlives config revisions and is patched with the keys a revision changed,
 * so revoking one key among a million costs a lookup by id, not a reload of them all.
 *
 * Held in columns, not an object per key: a million keys left 190 MiB of heap after a full GC
 * as objects, 142 MiB in columns with a Map of digest strings, and less with the digests as
 * bytes (bench/results/key-index-memory-2026-11-23.md, key-index-memory-digest-table-2026-11-23.md). `get` builds the small object a
 * request needs.
 */
export class KeyIndex {
  #keys = new KeyColumns();

  get size(): number {
    return this.#keys.size;
  }

  get(digest: string): KeyIdentity | undefined {
    return this.#keys.get(digest);
  }

  /**
   * Reads every key, as raw rows in pages by rowid: measured faster than one cursor over a
   * million rows, and without a million row objects from the driver at once.
   */
  loadAll(sqlite: Database.Database): void {
    const next = new KeyColumns(sqlite.prepare("SELECT count(*) FROM api_keys").pluck().get() as number);
    const page = sqlite
      .prepare(`SELECT ${COLUMNS}, rowid FROM api_keys WHERE rowid > ? ORDER BY rowid LIMIT 5000`)
      .raw();
    for (let after = 0; ; ) {
      const rows = page.all(after) as Array<[...RawKey, number]>;
      if (rows.length === 0) break;
      for (const row of rows) next.set(row);
      after = (rows.at(-1) as [...RawKey, number])[7];
    }
    this.#keys = next;
  }

  /** Re-reads the given keys (issued, revoked, rotated). A key id no longer in the table was deleted with its consumer, which reloads everything instead. */
  refresh(sqlite: Database.Database, ids: readonly string[]): void {
    if (ids.length === 0) return;
    const rows = sqlite
      .prepare(`SELECT ${COLUMNS} FROM api_keys WHERE id IN (SELECT value FROM json_each(?))`)
      .raw()
      .all(JSON.stringify(ids)) as RawKey[];
    for (const row of rows) this.#keys.set(row);
  }
}

const DIGEST_BYTES = 32;
/** Hex digit value by character code; -1 for anything else. */
const NIBBLES = new Int8Array(128).fill(-1);
for (let c = 0; c < 16; c++) {
  NIBBLES[c.toString(16).charCodeAt(0)] = c;
  NIBBLES[c.toString(16).toUpperCase().charCodeAt(0)] = c;
}

/**
 * One slot per key. Digests are bytes in one buffer, found through an open-addressing table
 * of slot numbers: a million digests as strings in a Map took about 76 bytes a key of heap,
 * this takes 40 off the heap. SHA-256 output is uniform, so its first bytes are the hash, and
 * keys are never removed (a deleted key reloads everything), so the table needs no tombstones.
 * The rare key with API ids or limits of its own keeps them in a map by slot.
 */
class KeyColumns {
  #size = 0;
  #capacity: number;
  #digests: Uint8Array;
  /** Slot + 1 per table position, 0 for empty; at most half full. */
  #table: Int32Array;
  readonly #ids: string[] = [];
  readonly #consumerIds: string[] = [];
  /** Epoch milliseconds; NaN for none. Typed arrays hold them without a heap number each. */
  #expiresAt: Float64Array;
  #revokedAt: Float64Array;
  readonly #apiIds = new Map<number, ReadonlySet<string>>();
  readonly #limits = new Map<number, KeyLimits>();
  /** Keys of one consumer share its id string instead of a copy per row. */
  readonly #consumers = new Map<string, string>();
  /** The digest being looked up or set, as bytes. */
  readonly #scratch = new Uint8Array(DIGEST_BYTES);

  /** `expected`: how many keys are about to be set, so a full load sizes everything once. */
  constructor(expected = 0) {
    this.#capacity = 1024;
    while (this.#capacity < expected) this.#capacity *= 2;
    this.#digests = new Uint8Array(this.#capacity * DIGEST_BYTES);
    this.#table = new Int32Array(this.#capacity * 2);
    this.#expiresAt = new Float64Array(this.#capacity);
    this.#revokedAt = new Float64Array(this.#capacity);
  }

  get size(): number {
    return this.#size;
  }

  /** `digest`: 32 latin1 characters, as `verifiedKeyDigest` gives them. */
  get(digest: string): KeyIdentity | undefined {
    if (digest.length !== DIGEST_BYTES) return undefined;
    const bytes = this.#scratch;
    for (let i = 0; i < DIGEST_BYTES; i++) {
      const code = digest.charCodeAt(i);
      if (code > 0xff) return undefined;
      bytes[i] = code;
    }
    const slot = this.#find(bytes);
    return slot === -1 ? undefined : this.#identity(slot);
  }

  set(row: RawKey | [...RawKey, number]): void {
    const [hash, id, consumerId, apiIds, expiresAt, revokedAt, limits] = row;
    // A malformed hash could never match a presented key; leaving it out is the same.
    if (!parseDigest(hash, this.#scratch)) return;
    let slot = this.#find(this.#scratch);
    if (slot === -1) {
      if (this.#size === this.#capacity) this.#grow();
      slot = this.#size++;
      this.#digests.set(this.#scratch, slot * DIGEST_BYTES);
      this.#place(slot);
    }
    let consumer = this.#consumers.get(consumerId);
    if (consumer === undefined) {
      consumer = consumerId;
      this.#consumers.set(consumerId, consumerId);
    }
    this.#ids[slot] = id;
    this.#consumerIds[slot] = consumer;
    this.#expiresAt[slot] = expiresAt === null ? Number.NaN : Date.parse(expiresAt);
    this.#revokedAt[slot] = revokedAt === null ? Number.NaN : Date.parse(revokedAt);
    if (apiIds === null) this.#apiIds.delete(slot);
    else this.#apiIds.set(slot, new Set(JSON.parse(apiIds) as string[]));
    if (limits === null) this.#limits.delete(slot);
    else this.#limits.set(slot, JSON.parse(limits) as KeyLimits);
  }

  #identity(slot: number): KeyIdentity {
    const expiresAt = this.#expiresAt[slot] as number;
    const revokedAt = this.#revokedAt[slot] as number;
    return {
      id: this.#ids[slot] as string,
      consumerId: this.#consumerIds[slot] as string,
      apiIds: this.#apiIds.get(slot) ?? null,
      expiresAt: Number.isNaN(expiresAt) ? null : expiresAt,
      revokedAt: Number.isNaN(revokedAt) ? null : revokedAt,
      limits: this.#limits.get(slot) ?? NO_LIMITS,
    };
  }

  /** The slot holding this digest, or -1. */
  #find(digest: Uint8Array): number {
    const table = this.#table;
    const digests = this.#digests;
    const mask = table.length - 1;
    for (let at = startOf(digest, 0, mask); ; at = (at + 1) & mask) {
      const entry = table[at] as number;
      if (entry === 0) return -1;
      const base = (entry - 1) * DIGEST_BYTES;
      let same = true;
      for (let i = 0; i < DIGEST_BYTES; i++) {
        if (digests[base + i] !== digest[i]) {
          same = false;
          break;
        }
      }
      if (same) return entry - 1;
    }
  }

  /** Enters a slot whose digest is in place into the table, at the first free position. */
  #place(slot: number): void {
    const table = this.#table;
    const mask = table.length - 1;
    let at = startOf(this.#digests, slot * DIGEST_BYTES, mask);
    while (table[at] !== 0) at = (at + 1) & mask;
    table[at] = slot + 1;
  }

  #grow(): void {
    this.#capacity *= 2;
    const digests = new Uint8Array(this.#capacity * DIGEST_BYTES);
    digests.set(this.#digests);
    this.#digests = digests;
    const expiresAt = new Float64Array(this.#capacity);
    expiresAt.set(this.#expiresAt);
    this.#expiresAt = expiresAt;
    const revokedAt = new Float64Array(this.#capacity);
    revokedAt.set(this.#revokedAt);
    this.#revokedAt = revokedAt;
    this.#table = new Int32Array(this.#capacity * 2);
    for (let slot = 0; slot < this.#size; slot++) this.#place(slot);
  }
}

/** Where a digest's probe starts: its first four bytes, little-endian, masked. */
function startOf(bytes: Uint8Array, offset: number, mask: number): number {
  return (
    ((bytes[offset] as number) |
      ((bytes[offset + 1] as number) << 8) |
      ((bytes[offset + 2] as number) << 16) |
      ((bytes[offset + 3] as number) << 24)) &
    mask
  );
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
