import type { RequestLogEntry, RequestLogQuery } from "@gatehouse/shared";
import type { TrafficSample } from "./traffic-sample.ts";

/**
 * The last requests, in a ring of fixed size. Under load it keeps one request in `stride`,
 * where the stride is what kept the previous second to about `perSecond` entries, so the log
 * shows a sample of everything instead of only the last fraction of a second.
 */
export class RequestLog {
  readonly #ring: (TrafficSample | undefined)[];
  readonly #perSecond: number;
  #next = 0;
  #second = 0;
  #seen = 0;
  #stride = 1;

  constructor(capacity = 1000, perSecond = 100) {
    this.#ring = new Array(capacity);
    this.#perSecond = perSecond;
  }

  record(sample: TrafficSample): void {
    const second = Math.floor(sample.endedAt / 1000);
    if (second !== this.#second) {
      this.#stride = second === this.#second + 1 ? Math.max(1, Math.ceil(this.#seen / this.#perSecond)) : 1;
      this.#second = second;
      this.#seen = 0;
    }
    if (this.#seen++ % this.#stride !== 0) return;
    this.#ring[this.#next] = sample;
    this.#next = (this.#next + 1) % this.#ring.length;
  }

  /** The fraction of requests being kept. */
  get sampleRate(): number {
    return 1 / this.#stride;
  }

  /** Newest first, filtered. */
  query(filter: RequestLogQuery): RequestLogEntry[] {
    const out: RequestLogEntry[] = [];
    const size = this.#ring.length;
    for (let i = 1; i <= size && out.length < filter.limit; i++) {
      const sample = this.#ring[(this.#next - i + size) % size];
      if (sample === undefined) break;
      if (matches(sample, filter)) out.push(entryOf(sample));
    }
    return out;
  }
}

function matches(sample: TrafficSample, filter: RequestLogQuery): boolean {
  if (filter.apiId !== undefined && sample.apiId !== filter.apiId) return false;
  if (filter.consumerId !== undefined && sample.consumerId !== filter.consumerId) return false;
  if (filter.path !== undefined && !sample.path.includes(filter.path)) return false;
  if (filter.status !== undefined) {
    const status = String(sample.status);
    if (filter.status.endsWith("xx") ? status[0] !== filter.status[0] : status !== filter.status) return false;
  }
  return true;
}

function entryOf(sample: TrafficSample): RequestLogEntry {
  return {
    time: sample.endedAt,
    method: sample.method,
    path: sample.path,
    status: sample.status,
    latencyMs: Math.round(sample.latencyMs * 1000) / 1000,
    apiId: sample.apiId,
    routeId: sample.routeId,
    consumerId: sample.consumerId,
    requestId: sample.requestId,
  };
}
