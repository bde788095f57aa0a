import { type GatewayRequestLogQuery, matchesRequestLogFilter, type RequestLogEntry } from "@gatehouse/shared";
import type { TrafficSample } from "./traffic-sample.ts";

/** Samples in a ring of fixed size, each with the fraction of its kind kept when it was. */
class SampleRing {
  readonly samples: (TrafficSample | undefined)[];
  readonly rates: Float64Array;
  next = 0;

  constructor(capacity: number) {
    this.samples = new Array(capacity);
    this.rates = new Float64Array(capacity);
  }

  push(sample: TrafficSample, rate: number): void {
    this.samples[this.next] = sample;
    this.rates[this.next] = rate;
    this.next = (this.next + 1) % this.samples.length;
  }

  /** The i-th newest (1 is the newest), or undefined past the oldest. */
  at(i: number): TrafficSample | undefined {
    const size = this.samples.length;
    return i > size ? undefined : this.samples[(this.next - i + size) % size];
  }

  rateAt(i: number): number {
    const size = this.samples.length;
    return this.rates[(this.next - i + size) % size] as number;
  }

  /** When the ring has wrapped, the time of its oldest entry: nothing before it is held any more. */
  get heldSince(): number {
    const oldest = this.samples[this.next];
    return oldest === undefined ? 0 : oldest.endedAt;
  }
}

/**
 * The last requests. Every request the gateway refused itself (it has an error code) is kept,
 * in a ring of its own so a flood of refusals does not push the rest out; the others are
 * sampled under load: one in `stride`, where the stride is what kept the previous second to
 * about `perSecond` entries, so the log shows a sample of everything instead of only the last
 * fraction of a second. Each entry carries the rate it was kept at.
 */
export class RequestLog {
  readonly #answered: SampleRing;
  readonly #refused: SampleRing;
  readonly #perSecond: number;
  #second = 0;
  #seen = 0;
  #stride = 1;

  constructor(capacity = 1000, perSecond = 100) {
    this.#answered = new SampleRing(capacity);
    this.#refused = new SampleRing(capacity);
    this.#perSecond = perSecond;
  }

  record(sample: TrafficSample): void {
    if (sample.refusal !== null) {
      this.#refused.push(sample, 1);
      return;
    }
    const second = Math.floor(sample.endedAt / 1000);
    if (second !== this.#second) {
      this.#stride = second === this.#second + 1 ? Math.max(1, Math.ceil(this.#seen / this.#perSecond)) : 1;
      this.#second = second;
      this.#seen = 0;
    }
    if (this.#seen++ % this.#stride !== 0) return;
    this.#answered.push(sample, 1 / this.#stride);
  }

  /** The fraction of answered (not refused) requests being kept now. */
  get sampleRate(): number {
    return 1 / this.#stride;
  }

  /**
   * Newest first, filtered, from both rings; the answered requests older than the oldest
   * refusal still held are left out, so every refusal in the time the rows cover is there.
   */
  query(filter: GatewayRequestLogQuery): RequestLogEntry[] {
    const out: RequestLogEntry[] = [];
    const since = this.#refused.heldSince;
    let a = 1;
    let r = 1;
    while (out.length < filter.limit) {
      const answered = this.#answered.at(a);
      const refused = this.#refused.at(r);
      const takeRefused =
        refused !== undefined &&
        (answered === undefined || refused.endedAt >= answered.endedAt || answered.endedAt < since);
      if (takeRefused) {
        const entry = entryOf(refused, 1);
        if (matchesRequestLogFilter(entry, filter)) out.push(entry);
        r++;
      } else if (answered !== undefined && answered.endedAt >= since) {
        const entry = entryOf(answered, this.#answered.rateAt(a));
        if (matchesRequestLogFilter(entry, filter)) out.push(entry);
        a++;
      } else {
        break;
      }
    }
    return out;
  }
}

const round = (ms: number) => Math.round(ms * 1000) / 1000;

function entryOf(sample: TrafficSample, sampleRate: number): RequestLogEntry {
  return {
    time: sample.endedAt,
    method: sample.method,
    path: sample.path,
    status: sample.status,
    latencyMs: round(sample.latencyMs),
    upstreamMs: sample.upstreamMs < 0 ? null : round(sample.upstreamMs),
    apiId: sample.apiId === "" ? null : sample.apiId,
    routeId: sample.routeId === "" ? null : sample.routeId,
    consumerId: sample.consumerId,
    requestId: sample.requestId,
    refusal: sample.refusal,
    target: sample.target,
    sampleRate,
  };
}
