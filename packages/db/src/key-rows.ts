import type Database from "better-sqlite3";

/**
 * One api_keys row as a gateway's key index takes it: hash, id, consumer_id, api_ids, expires_at,
 * revoked_at, limits. A plain array, so a page of them is cheap to read, to send to a data-plane
 * node and to parse there.
 */
export type RawKey = [string, string, string, string | null, string | null, string | null, string | null];

// Nearly every key has no API scope or limits of its own: NULL saves their bytes on a full load.
const COLUMNS = "hash, id, consumer_id, NULLIF(api_ids, '[]'), expires_at, revoked_at, NULLIF(limits, '{}')";
/** Bytes of pool a full load needs at most: key ids, each key's API ids and limits as one JSON array, consumer ids. */
const POOL_BYTES = `SELECT count(*), total(length(CAST(id AS BLOB))
    + coalesce(length(CAST(NULLIF(api_ids, '[]') AS BLOB)) + 7, 0) + coalesce(length(CAST(NULLIF(limits, '{}') AS BLOB)) + 7, 0))
  + (SELECT total(length(CAST(id AS BLOB))) FROM consumers) FROM api_keys`;

/** How many keys there are, and the bytes a key index needs for their variable-length fields. */
export interface KeyTotals {
  count: number;
  poolBytes: number;
}

export function keyTotals(sqlite: Database.Database): KeyTotals {
  const [count, poolBytes] = sqlite.prepare(POOL_BYTES).raw().get() as [number, number];
  return { count, poolBytes };
}

/**
 * Every key, in pages by rowid: measured faster than one cursor over a million rows, and
 * without a million row objects from the driver at once.
 */
export function* keyRowPages(sqlite: Database.Database, pageSize = 5000): Generator<RawKey[]> {
  const page = sqlite.prepare(`SELECT ${COLUMNS}, rowid FROM api_keys WHERE rowid > ? ORDER BY rowid LIMIT ?`).raw();
  for (let after = 0; ; ) {
    const rows = page.all(after, pageSize) as unknown[][];
    if (rows.length === 0) return;
    after = (rows.at(-1) as unknown[])[7] as number;
    // The rowid goes: the rows are sent to data-plane nodes as they are.
    for (const row of rows) row.length = 7;
    yield rows as RawKey[];
  }
}

/** The given keys as they are now; a key id no longer in the table has no row. */
export function readKeyRows(sqlite: Database.Database, ids: readonly string[]): RawKey[] {
  if (ids.length === 0) return [];
  return sqlite
    .prepare(`SELECT ${COLUMNS} FROM api_keys WHERE id IN (SELECT value FROM json_each(?))`)
    .raw()
    .all(JSON.stringify(ids)) as RawKey[];
}
