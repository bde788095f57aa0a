import { type KeyTotals, keyRowPages, keyTotals, type RawKey, readKeyRows } from "@gatehouse/db";
import type { KeyIdentity } from "@gatehouse/policies";
import type Database from "better-sqlite3";
import { KeyIndexReader } from "./key-index-reader.ts";
import { allocateShare, type KeyIndexShare } from "./key-table-layout.ts";
import { KeyTableWriter } from "./key-table-writer.ts";

export type { KeyIndexShare } from "./key-table-layout.ts";

/** Room left after a load for the keys and limits revisions bring, before the buffers must be replaced. */
const POOL_SPARE = 1 << 20;
const FIRST_CAPACITY = 1024;

/**
 * Every API key by the SHA-256 digest of the key (32 latin1 characters): one hash-table probe
 * per request. It outlives config revisions and is patched with the keys a revision changed,
 * so revoking one key among a million costs a lookup by id, not a reload of them all.
 *
 * Held in SharedArrayBuffers (layout in key-table-layout.ts) that this thread, the host,
 * writes, and any number of worker threads read through a `KeyIndexReader` over `share()`,
 * without a copy: a million keys take about 100 bytes each, none of it on a heap
 * (bench/results/key-index-shared-memory-2026-12-06.md).
 *
 * Concurrency: only the host writes, readers take no lock. A key changed in place by `refresh`
 * is rewritten under its slot's sequence counter, so a reader sees it wholly old or wholly
 * new, and every reader of the current share sees the change once `refresh` returns: a revoked
 * key is refused by every worker at once. A new key is entered into the table last, after its
 * fields. A full `loadAll`, or a `refresh` that outgrows the buffers, writes new ones and
 * bumps `shareVersion`; the old buffers stay readable but are written no more, so the host
 * must send `share()` to the workers in the same message that carries the revision.
 */
export class KeyIndex {
  #writer = new KeyTableWriter(allocateShare(0, FIRST_CAPACITY, POOL_SPARE));
  #reader = new KeyIndexReader(this.#writer.share);

  get size(): number {
    return this.#writer.size;
  }

  /** Changes whenever `share()` does. */
  get shareVersion(): number {
    return this.#writer.share.version;
  }

  /** The buffers readers attach to, the same object until they are replaced. */
  share(): KeyIndexShare {
    return this.#writer.share;
  }

  /** How many keys, and pool bytes enough to load them again: what a node's cache records. */
  totals(): KeyTotals {
    return { count: this.size, poolBytes: this.#writer.poolUsed };
  }

  /** Every key as a row, in pages, read from the buffers current when called. */
  pages(pageSize: number): Generator<RawKey[]> {
    return this.#writer.pages(pageSize);
  }

  get(digest: string): KeyIdentity | undefined {
    return this.#reader.get(digest);
  }

  /** Reads every key from config.db into new buffers, sized for what is there, so readers of the old ones are never torn. */
  loadAll(sqlite: Database.Database): void {
    this.replaceAll(keyTotals(sqlite), keyRowPages(sqlite));
  }

  /** Every key, from pages of rows (config.db's, or a control plane's snapshot), into new buffers. */
  replaceAll(totals: KeyTotals, pages: Iterable<readonly RawKey[]>): void {
    let capacity = FIRST_CAPACITY;
    while (capacity < totals.count) capacity *= 2;
    let writer = new KeyTableWriter(allocateShare(this.shareVersion + 1, capacity, totals.poolBytes + POOL_SPARE));
    for (const rows of pages) for (const row of rows) writer = stored(writer, row);
    this.#use(writer);
  }

  /** Re-reads the given keys (issued, revoked, rotated). A key id no longer in the table was deleted with its consumer, which reloads everything instead. */
  refresh(sqlite: Database.Database, ids: readonly string[]): void {
    this.update(readKeyRows(sqlite, ids));
  }

  /** Writes these keys as they are now, in place where they exist. */
  update(rows: readonly RawKey[]): void {
    let writer = this.#writer;
    for (const row of rows) writer = stored(writer, row);
    this.#use(writer);
  }

  #use(writer: KeyTableWriter): void {
    if (writer === this.#writer) return;
    this.#writer = writer;
    this.#reader = new KeyIndexReader(writer.share);
  }
}

/** Stores a row, moving to bigger buffers until it fits; the writer that holds it. */
function stored(writer: KeyTableWriter, row: RawKey): KeyTableWriter {
  let into = writer;
  while (!into.set(row)) into = into.grown();
  return into;
}
