import type { LiveMessage } from "@gatehouse/shared";
import type { SecondRollup } from "./traffic-rollups.ts";

type Listener = (json: string) => void;

/** Fans each flush's seconds out to the open /stream connections, serialised once for all. */
export class LiveFeed {
  readonly #listeners = new Set<Listener>();

  subscribe(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  publish(seconds: SecondRollup[], upTo: number): void {
    if (this.#listeners.size === 0) return;
    const message: LiveMessage = {
      upTo,
      seconds: seconds.map((second) => ({
        t: second.t,
        cells: second.cells.map((cell) => [
          cell.apiId,
          cell.routeId,
          cell.consumerId,
          cell.statusClass,
          cell.requests,
          cell.bytesIn,
          cell.bytesOut,
          cell.latencyMsSum,
          cell.histogram.encode(),
        ]),
      })),
    };
    const json = JSON.stringify(message);
    for (const listener of this.#listeners) listener(json);
  }
}
