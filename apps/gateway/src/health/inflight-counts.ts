/** Targets a host can count at once; one more gets a count of its own thread only. */
const CAPACITY = 65_536;

/**
 * Requests in flight per target, shared by the host's proxy workers, so least-connections
 * weighs what every worker has sent and the host's view shows the sum. The host hands out a
 * slot per target (TargetState carries it); workers add and subtract with Atomics.
 */
export class InflightCounts {
  readonly counts: Int32Array;
  #free: number[] = [];
  #next = 0;

  static share(): SharedArrayBuffer {
    return new SharedArrayBuffer(CAPACITY * Int32Array.BYTES_PER_ELEMENT);
  }

  constructor(share: SharedArrayBuffer) {
    this.counts = new Int32Array(share);
  }

  /** A slot for a new target (host only); -1 when every slot is taken. */
  allocate(): number {
    const slot = this.#free.pop() ?? (this.#next < this.counts.length ? this.#next++ : -1);
    if (slot >= 0) Atomics.store(this.counts, slot, 0);
    return slot;
  }

  /** A target left the config (host only). */
  free(slot: number): void {
    if (slot >= 0) this.#free.push(slot);
  }
}
