import type { ControlPlane } from "./control-plane.ts";

/** How often the revision served is said again: the console's sign that the node is there (it calls a node gone after 30 s). */
export const HEARTBEAT_MS = 10_000;

/**
 * Tells the console which revision this node serves: one ack in flight at a time, and only the
 * newest revision after it. The last one is sent again every `HEARTBEAT_MS`, so a node whose
 * host vanished without closing its connection is shown gone, and a lost ack is made good.
 */
export class Acks {
  readonly #console: ControlPlane;
  readonly #signal: AbortSignal;
  #due: number | null = null;
  #last: number | null = null;
  #sending = false;
  readonly #heartbeat: NodeJS.Timeout;

  constructor(console: ControlPlane, signal: AbortSignal, heartbeatMs = HEARTBEAT_MS) {
    this.#console = console;
    this.#signal = signal;
    this.#heartbeat = setInterval(() => {
      if (this.#last !== null && this.#due === null) this.send(this.#last);
    }, heartbeatMs);
    this.#heartbeat.unref();
    signal.addEventListener("abort", () => clearInterval(this.#heartbeat), { once: true });
  }

  send(revision: number): void {
    this.#due = revision;
    this.#last = revision;
    if (!this.#sending) void this.#drain();
  }

  async #drain(): Promise<void> {
    this.#sending = true;
    while (this.#due !== null && !this.#signal.aborted) {
      const revision = this.#due;
      this.#due = null;
      // A failed ack says nothing the stream's own failure does not: the stream reports it.
      await this.#console.ack(revision, this.#signal).catch(() => {});
    }
    this.#sending = false;
  }
}
