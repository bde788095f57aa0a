/**
 * The shared-memory layout of the key index, one definition for the host that writes it
 * (key-table-writer.ts) and the threads that read it (key-index-reader.ts).
 */

/** Every buffer of one generation of the index; structured-cloneable, so it can go in a worker message. */
export interface KeyIndexShare {
  /** Counts which generation this is: a host sends a share whose version its workers have not seen. */
  version: number;
  /** Int32 [keys published]. */
  counts: SharedArrayBuffer;
  /** Int32 per table position: slot + 1, 0 for empty; twice the slots, so at most half full. */
  table: SharedArrayBuffer;
  /** 32 digest bytes per slot. */
  digests: SharedArrayBuffer;
  /** Float64 per slot: expiresAt, revokedAt as epoch milliseconds, NaN for none. */
  times: SharedArrayBuffer;
  /** Int32 per slot, FIELDS of them: see the FIELD_ constants. */
  fields: SharedArrayBuffer;
  /** UTF-8 bytes the fields point into; only ever appended to, so bytes once pointed at never change. */
  pool: SharedArrayBuffer;
}

export const DIGEST_BYTES = 32;
export const DIGEST_WORDS = DIGEST_BYTES / 4;

/** Even while the slot is at rest, odd while the host rewrites it. */
export const FIELD_SEQUENCE = 0;
export const FIELD_ID_AT = 1;
export const FIELD_ID_END = 2;
export const FIELD_CONSUMER_AT = 3;
export const FIELD_CONSUMER_END = 4;
/** JSON `[apiIds, limits]`, either null; at = end when the key has neither, as nearly every key. */
export const FIELD_EXTRA_AT = 5;
export const FIELD_EXTRA_END = 6;
export const FIELDS = 7;

export const TIME_EXPIRES = 0;
export const TIME_REVOKED = 1;
export const TIMES = 2;

export function allocateShare(version: number, capacity: number, poolBytes: number): KeyIndexShare {
  return {
    version,
    counts: new SharedArrayBuffer(4),
    table: new SharedArrayBuffer(capacity * 2 * 4),
    digests: new SharedArrayBuffer(capacity * DIGEST_BYTES),
    times: new SharedArrayBuffer(capacity * TIMES * 8),
    fields: new SharedArrayBuffer(capacity * FIELDS * 4),
    pool: new SharedArrayBuffer(poolBytes),
  };
}

/** How many slots a share has room for. */
export function capacityOf(share: KeyIndexShare): number {
  return share.digests.byteLength / DIGEST_BYTES;
}

/**
 * Where a digest's probe starts: its first four bytes as a word, masked. SHA-256 output is
 * uniform, so they are as good a hash as any.
 */
export function startOf(words: Int32Array, offset: number, mask: number): number {
  return (words[offset] as number) & mask;
}
