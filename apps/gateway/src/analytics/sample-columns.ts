import type { RollupSample } from "./traffic-rollups.ts";
import type { SampleSink } from "./traffic-sample.ts";

/**
 * Numbers per sample: api, route, consumer (name indexes, -1 for none), status, endedAt,
 * latencyMs, upstreamMs, bytesIn, bytesOut, then refusal code, upstream pool and cache status
 * (name indexes, -1 for none).
 */
const STRIDE = 12;
const MIN_CAPACITY = 256;
/** Past this many ids the name table starts over, so ids seen once long ago are not kept forever. */
const MAX_NAMES = 100_000;

/** The samples of one flush, as they cross to the analytics writer's thread. */
export interface SampleBatch {
  count: number;
  /** `count` samples of STRIDE numbers; its buffer is transferred, not copied. */
  numbers: Float64Array<ArrayBuffer>;
  /** The ids named since the last batch, for the reader's table from index `namesFrom` on. */
  names: string[];
  namesFrom: number;
  /** After this batch the name table starts over, on both sides. */
  forgetNames: boolean;
}

/**
 * Finished requests written as numbers into one growing array, their ids as indexes into a
 * name table that crosses to the writer's thread once per id. The request path does no more
 * for the rollups than this: the per-second cells, the minutes and hours and the histograms
 * are made on the writer's thread, so their cost, which grows with how many routes and
 * consumers a second touches, stays off the event loop.
 */
export class SampleColumns implements SampleSink {
  #numbers = new Float64Array(MIN_CAPACITY * STRIDE);
  #count = 0;
  #names: string[] = [];
  #indexes = new Map<string, number>();
  /** How many names the reader has been sent. */
  #sent = 0;

  record(sample: RollupSample): void {
    if ((this.#count + 1) * STRIDE > this.#numbers.length) this.#grow();
    const numbers = this.#numbers;
    const at = this.#count * STRIDE;
    numbers[at] = this.#index(sample.apiId);
    numbers[at + 1] = this.#index(sample.routeId);
    numbers[at + 2] = sample.consumerId === null ? -1 : this.#index(sample.consumerId);
    numbers[at + 3] = sample.status;
    numbers[at + 4] = sample.endedAt;
    numbers[at + 5] = sample.latencyMs;
    numbers[at + 6] = sample.upstreamMs;
    numbers[at + 7] = sample.bytesIn;
    numbers[at + 8] = sample.bytesOut;
    numbers[at + 9] = sample.refusal === null ? -1 : this.#index(sample.refusal);
    numbers[at + 10] = sample.upstreamId === null ? -1 : this.#index(sample.upstreamId);
    numbers[at + 11] = sample.cacheStatus === null ? -1 : this.#index(sample.cacheStatus);
    this.#count++;
  }

  /** Everything recorded since the last take, or null; the next flush starts on a fresh array sized for as many. */
  take(): SampleBatch | null {
    if (this.#count === 0) return null;
    const forgetNames = this.#names.length > MAX_NAMES;
    const batch: SampleBatch = {
      count: this.#count,
      numbers: this.#numbers,
      names: this.#names.slice(this.#sent),
      namesFrom: this.#sent,
      forgetNames,
    };
    this.#numbers = new Float64Array(Math.max(MIN_CAPACITY, this.#count) * STRIDE);
    this.#count = 0;
    this.#sent = this.#names.length;
    if (forgetNames) {
      this.#names = [];
      this.#indexes = new Map();
      this.#sent = 0;
    }
    return batch;
  }

  /** The next batch names every id from the first: the reader it goes to is a new one. */
  resendNames(): void {
    this.#sent = 0;
  }

  #index(name: string): number {
    let index = this.#indexes.get(name);
    if (index === undefined) {
      index = this.#names.length;
      this.#names.push(name);
      this.#indexes.set(name, index);
    }
    return index;
  }

  #grow(): void {
    const grown = new Float64Array(this.#numbers.length * 2);
    grown.set(this.#numbers);
    this.#numbers = grown;
  }
}

/** Reads batches back on the writer's thread, keeping the name table they add to. */
export class SampleReader {
  #names: string[] = [];
  /** One object, refilled for each sample. */
  readonly #sample: RollupSample = {
    apiId: "",
    routeId: "",
    consumerId: null,
    status: 0,
    endedAt: 0,
    latencyMs: 0,
    upstreamMs: 0,
    bytesIn: 0,
    bytesOut: 0,
    refusal: null,
    upstreamId: null,
    cacheStatus: null,
  };

  read(batch: SampleBatch, visit: (sample: RollupSample) => void): void {
    const names = this.#names;
    names.length = batch.namesFrom;
    for (const name of batch.names) names.push(name);
    const { numbers } = batch;
    const sample = this.#sample;
    for (let at = 0; at < batch.count * STRIDE; at += STRIDE) {
      sample.apiId = names[numbers[at] as number] as string;
      sample.routeId = names[numbers[at + 1] as number] as string;
      const consumer = numbers[at + 2] as number;
      sample.consumerId = consumer < 0 ? null : (names[consumer] as string);
      sample.status = numbers[at + 3] as number;
      sample.endedAt = numbers[at + 4] as number;
      sample.latencyMs = numbers[at + 5] as number;
      sample.upstreamMs = numbers[at + 6] as number;
      sample.bytesIn = numbers[at + 7] as number;
      sample.bytesOut = numbers[at + 8] as number;
      sample.refusal = nameAt(names, numbers[at + 9] as number);
      sample.upstreamId = nameAt(names, numbers[at + 10] as number);
      sample.cacheStatus = nameAt(names, numbers[at + 11] as number);
      visit(sample);
    }
    if (batch.forgetNames) this.#names = [];
  }
}

const nameAt = (names: string[], index: number) => (index < 0 ? null : (names[index] as string));
