import type { HealthEvent } from "@gatehouse/shared";

/** The last `capacity` health events of all pools, in a ring. */
export class EventLog {
  readonly #events: (HealthEvent | undefined)[];
  #next = 0;

  constructor(capacity = 500) {
    this.#events = new Array(capacity);
  }

  push(event: HealthEvent): void {
    this.#events[this.#next] = event;
    this.#next = (this.#next + 1) % this.#events.length;
  }

  /** One pool's events, newest first. */
  list(upstreamId: string): HealthEvent[] {
    const out: HealthEvent[] = [];
    const size = this.#events.length;
    for (let k = 1; k <= size; k++) {
      const event = this.#events[(this.#next - k + size) % size];
      if (event === undefined) break;
      if (event.upstreamId === upstreamId) out.push(event);
    }
    return out;
  }
}
