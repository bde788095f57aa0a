import type { KeyIdentity } from "@gatehouse/policies";
import { digestOfHash } from "@gatehouse/policies/api-key";
import type { KeyLimits } from "@gatehouse/shared";
import type Database from "better-sqlite3";

// Nearly every key has no API scope or limits of its own: NULL saves two strings a row on a full load.
const COLUMNS = "hash, id, consumer_id, NULLIF(api_ids, '[]'), expires_at, revoked_at, NULLIF(limits, '{}')";
type RawKey = [string, string, string, string | null, string | null, string | null, string | null];

const NO_LIMITS: KeyLimits = Object.freeze({});

/**
 * Every API key by the SHA-256 digest of the key (32 latin1 characters): one Map get per
 * request. It outlives config revisions and is patched with the keys a revision changed, so
 * revoking one key among a million costs a lookup by id, not a reload of them all.
 *
 * Held in columns, not an object per key: a million keys left 190 MiB of heap after a full GC
 * as objects and 142 MiB this way (bench/results/key-index-memory-2026-11-23.md). `get`
 * builds the small object a request needs.
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
    const next = new KeyColumns();
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

/** One slot per key. The rare key with API ids or limits of its own keeps them in a map by slot. */
class KeyColumns {
  readonly #slots = new Map<string, number>();
  readonly #ids: string[] = [];
  readonly #consumerIds: string[] = [];
  /** Epoch milliseconds; NaN for none. Typed arrays hold them without a heap number each. */
  #expiresAt = new Float64Array(1024);
  #revokedAt = new Float64Array(1024);
  readonly #apiIds = new Map<number, ReadonlySet<string>>();
  readonly #limits = new Map<number, KeyLimits>();
  /** Keys of one consumer share its id string instead of a copy per row. */
  readonly #consumers = new Map<string, string>();

  get size(): number {
    return this.#slots.size;
  }

  get(digest: string): KeyIdentity | undefined {
    const slot = this.#slots.get(digest);
    if (slot === undefined) return undefined;
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

  set(row: RawKey | [...RawKey, number]): void {
    const [hash, id, consumerId, apiIds, expiresAt, revokedAt, limits] = row;
    const digest = digestOfHash(hash);
    let slot = this.#slots.get(digest);
    if (slot === undefined) {
      slot = this.#ids.length;
      this.#slots.set(digest, slot);
      if (slot === this.#expiresAt.length) this.#grow();
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

  #grow(): void {
    const expiresAt = new Float64Array(this.#expiresAt.length * 2);
    expiresAt.set(this.#expiresAt);
    this.#expiresAt = expiresAt;
    const revokedAt = new Float64Array(this.#revokedAt.length * 2);
    revokedAt.set(this.#revokedAt);
    this.#revokedAt = revokedAt;
  }
}
