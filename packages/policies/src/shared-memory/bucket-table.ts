/** Entries per bucket; a bucket is what one spin lock guards. */
export const WAYS = 8;

/** Where a table shared by a host's threads lives, and how many entries it has. */
export interface BucketTableShare {
  buffer: SharedArrayBuffer;
  entries: number;
}

/** A new zeroed table of `entries` (a power of two, at least WAYS) of `entryBytes` each, and a lock per bucket after them. */
export function allocateBucketTable(entries: number, entryBytes: number): BucketTableShare {
  if (!Number.isInteger(Math.log2(entries)) || entries < WAYS) {
    throw new Error(`entries must be a power of two of at least ${WAYS}, not ${entries}`);
  }
  return { buffer: new SharedArrayBuffer(entries * entryBytes + (entries / WAYS) * 4), entries };
}

/** The bucket locks of a table whose entries take `entryBytes` each, and the mask that picks a bucket from a hash. */
export function bucketLocks(share: BucketTableShare, entryBytes: number): { locks: Int32Array; mask: number } {
  const buckets = share.entries / WAYS;
  return { locks: new Int32Array(share.buffer, share.entries * entryBytes, buckets), mask: buckets - 1 };
}
