/**
 * The host's count of open client connections, shared by its proxy workers: the cap
 * (GATEHOUSE_MAX_CONNECTIONS) is for the host, as it was for one thread. Slot 0 is the total,
 * slot 1 + i what worker i holds, so a worker that dies can be taken out of the total.
 */
export class OpenConnections {
  readonly #counts: Int32Array;
  readonly #slot: number;

  static share(workers: number): SharedArrayBuffer {
    return new SharedArrayBuffer((workers + 1) * Int32Array.BYTES_PER_ELEMENT);
  }

  /** `worker`: the index of the worker counting, or -1 for the host (which only reads and forgets). */
  constructor(share: SharedArrayBuffer, worker = -1) {
    this.#counts = new Int32Array(share);
    this.#slot = worker + 1;
  }

  get total(): number {
    return Atomics.load(this.#counts, 0);
  }

  /** Counts a new connection; false (and not counted) when the host already holds `max`. */
  open(max: number): boolean {
    if (Atomics.add(this.#counts, 0, 1) >= max) {
      Atomics.sub(this.#counts, 0, 1);
      return false;
    }
    Atomics.add(this.#counts, this.#slot, 1);
    return true;
  }

  close(): void {
    Atomics.sub(this.#counts, 0, 1);
    Atomics.sub(this.#counts, this.#slot, 1);
  }

  /** A worker exited: its connections went with it. */
  forget(worker: number): void {
    Atomics.sub(this.#counts, 0, Atomics.exchange(this.#counts, worker + 1, 0));
  }
}
