import type { KeyIdentity } from "@gatehouse/policies";
import { digestOfHash } from "@gatehouse/policies/api-key";
import type Database from "better-sqlite3";

const COLUMNS = "hash, id, consumer_id, api_ids, expires_at, revoked_at, limits";
type RawKey = [string, string, string, string, string | null, string | null, string];

const NO_LIMITS = Object.freeze({});

/**
 * Every API key by the SHA-256 digest of the key (32 latin1 characters): one Map get per request. It outlives config
 * revisions and is patched with the keys a revision changed, so revoking one key among a
 * million costs a lookup by id, not a reload of them all.
 */
export class KeyIndex {
  #byDigest = new Map<string, KeyIdentity>();
  /** Keys of one consumer share its id string instead of a copy per row. */
  #consumerIds = new Map<string, string>();

  get size(): number {
    return this.#byDigest.size;
  }

  get(digest: string): KeyIdentity | undefined {
    return this.#byDigest.get(digest);
  }

  /**
   * Reads every key, as raw rows in pages by rowid: measured faster than one cursor over a
   * million rows, and without a million row objects from the driver at once.
   */
  loadAll(sqlite: Database.Database): void {
    const next = new Map<string, KeyIdentity>();
    this.#consumerIds.clear();
    const page = sqlite
      .prepare(`SELECT ${COLUMNS}, rowid FROM api_keys WHERE rowid > ? ORDER BY rowid LIMIT 5000`)
      .raw();
    for (let after = 0; ; ) {
      const rows = page.all(after) as Array<[...RawKey, number]>;
      if (rows.length === 0) break;
      for (const row of rows) next.set(digestOfHash(row[0]), this.#identity(row));
      after = (rows.at(-1) as [...RawKey, number])[7];
    }
    this.#byDigest = next;
  }

  /** Re-reads the given keys (issued, revoked, rotated). A key id no longer in the table was deleted with its consumer, which reloads everything instead. */
  refresh(sqlite: Database.Database, ids: readonly string[]): void {
    if (ids.length === 0) return;
    const rows = sqlite
      .prepare(`SELECT ${COLUMNS} FROM api_keys WHERE id IN (SELECT value FROM json_each(?))`)
      .raw()
      .all(JSON.stringify(ids)) as RawKey[];
    for (const row of rows) this.#byDigest.set(digestOfHash(row[0]), this.#identity(row));
  }

  #identity(row: RawKey | [...RawKey, number]): KeyIdentity {
    const [, id, consumerId, apiIds, expiresAt, revokedAt, limits] = row;
    let consumer = this.#consumerIds.get(consumerId);
    if (consumer === undefined) {
      consumer = consumerId;
      this.#consumerIds.set(consumerId, consumerId);
    }
    return {
      id,
      consumerId: consumer,
      apiIds: apiIds === "[]" ? null : new Set(JSON.parse(apiIds) as string[]),
      expiresAt: expiresAt === null ? null : Date.parse(expiresAt),
      revokedAt: revokedAt === null ? null : Date.parse(revokedAt),
      limits: limits === "{}" ? NO_LIMITS : JSON.parse(limits),
    };
  }
}
