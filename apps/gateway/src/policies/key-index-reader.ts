import type { KeyIdentity } from "@gatehouse/policies";
import type { KeyLimits } from "@gatehouse/shared";
import {
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

const NO_LIMITS: KeyLimits = Object.freeze({});
/** Identities remembered per reader, by slot modulo this: a power of two. */
const CACHED = 4096;

interface Extra {
  apiIds: ReadonlySet<string> | null;
  limits: KeyLimits;
}

/**
 * Looks keys up in a share of the key index from any thread, without a copy and without a lock:
 * a key's slot is read between two loads of its sequence counter and read again when the host
 * rewrote it meanwhile, so an identity is wholly before or wholly after a `refresh`. The strings
 * a slot points at are never overwritten, so they are decoded after the check.
 *
 * Decoding a key costs more than finding it, and most requests carry a key seen a moment ago, so
 * a reader keeps the identities it built lately, each good while its slot's counter has not
 * moved; callers share them, as they share the API ids and limits, and must not change them.
 * Consumer ids and the rare key's API ids and limits are decoded once per pool offset: a consumer
 * has many keys, and an offset always holds the same bytes.
 */
export class KeyIndexReader {
  readonly #counts: Int32Array;
  readonly #table: Int32Array;
  readonly #digests: Int32Array;
  readonly #times: Float64Array;
  readonly #fields: Int32Array;
  readonly #pool: Buffer;
  readonly #consumers = new Map<number, string>();
  readonly #extras = new Map<number, Extra>();
  readonly #cachedSlots = new Int32Array(CACHED).fill(-1);
  /** The sequence each cached identity was read at: always even. */
  readonly #cachedSequences = new Int32Array(CACHED);
  readonly #cached: KeyIdentity[] = [];
  /** The digest being looked up, as bytes and as the words the table compares. */
  readonly #scratch = new Uint8Array(DIGEST_BYTES);
  readonly #words = new Int32Array(this.#scratch.buffer);

  constructor(share: KeyIndexShare) {
    this.#counts = new Int32Array(share.counts);
    this.#table = new Int32Array(share.table);
    this.#digests = new Int32Array(share.digests);
    this.#times = new Float64Array(share.times);
    this.#fields = new Int32Array(share.fields);
    this.#pool = Buffer.from(share.pool);
  }

  get size(): number {
    return Atomics.load(this.#counts, 0);
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
    const slot = this.#find(this.#words);
    if (slot === -1) return undefined;
    const line = slot & (CACHED - 1);
    if (
      this.#cachedSlots[line] === slot &&
      this.#cachedSequences[line] === Atomics.load(this.#fields, slot * FIELDS + FIELD_SEQUENCE)
    ) {
      return this.#cached[line];
    }
    return this.#identity(slot, line);
  }

  /** The slot holding this digest, or -1. A table entry is stored last, after the slot it names. */
  #find(digest: Int32Array): number {
    const table = this.#table;
    const digests = this.#digests;
    const mask = table.length - 1;
    for (let at = startOf(digest, 0, mask); ; at = (at + 1) & mask) {
      const entry = Atomics.load(table, at);
      if (entry === 0) return -1;
      const base = (entry - 1) * DIGEST_WORDS;
      let i = 0;
      while (i < DIGEST_WORDS && digests[base + i] === digest[i]) i++;
      if (i === DIGEST_WORDS) return entry - 1;
    }
  }

  #identity(slot: number, line: number): KeyIdentity {
    const fields = this.#fields;
    const times = this.#times;
    const at = slot * FIELDS;
    let sequence: number;
    let idAt: number;
    let idEnd: number;
    let consumerAt: number;
    let consumerEnd: number;
    let extraAt: number;
    let extraEnd: number;
    let expiresAt: number;
    let revokedAt: number;
    do {
      sequence = Atomics.load(fields, at + FIELD_SEQUENCE);
      idAt = fields[at + FIELD_ID_AT] as number;
      idEnd = fields[at + FIELD_ID_END] as number;
      consumerAt = fields[at + FIELD_CONSUMER_AT] as number;
      consumerEnd = fields[at + FIELD_CONSUMER_END] as number;
      extraAt = fields[at + FIELD_EXTRA_AT] as number;
      extraEnd = fields[at + FIELD_EXTRA_END] as number;
      expiresAt = times[slot * TIMES + TIME_EXPIRES] as number;
      revokedAt = times[slot * TIMES + TIME_REVOKED] as number;
    } while ((sequence & 1) !== 0 || Atomics.load(fields, at + FIELD_SEQUENCE) !== sequence);
    const extra = extraAt === extraEnd ? null : this.#extra(extraAt, extraEnd);
    const identity: KeyIdentity = {
      id: this.#pool.toString("utf8", idAt, idEnd),
      consumerId: this.#consumer(consumerAt, consumerEnd),
      apiIds: extra?.apiIds ?? null,
      expiresAt: Number.isNaN(expiresAt) ? null : expiresAt,
      revokedAt: Number.isNaN(revokedAt) ? null : revokedAt,
      limits: extra?.limits ?? NO_LIMITS,
    };
    this.#cachedSlots[line] = slot;
    this.#cachedSequences[line] = sequence;
    this.#cached[line] = identity;
    return identity;
  }

  #consumer(at: number, end: number): string {
    let id = this.#consumers.get(at);
    if (id === undefined) {
      id = this.#pool.toString("utf8", at, end);
      this.#consumers.set(at, id);
    }
    return id;
  }

  #extra(at: number, end: number): Extra {
    let extra = this.#extras.get(at);
    if (extra === undefined) {
      const [apiIds, limits] = JSON.parse(this.#pool.toString("utf8", at, end)) as [string[] | null, KeyLimits | null];
      extra = { apiIds: apiIds === null ? null : new Set(apiIds), limits: limits ?? NO_LIMITS };
      this.#extras.set(at, extra);
    }
    return extra;
  }
}
