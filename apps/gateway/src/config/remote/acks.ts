import type { ControlPlane } from "./control-plane.ts";

/**
 * Tells the console which revision this node serves: one ack in flight at a time, and only the
 * newest revision after it. A lost ack is not sent again; the next stream opens with the revision.
 */
export class Acks {
  readonly #console: ControlPlane;
  readonly #signal: AbortSignal;
  #due: number | null = null;
  #sending = false;

  constructor(console: ControlPlane, signal: AbortSignal) {
    this.#console = console;
    this.#signal = signal;
  }

  send(revision: number): void {
    this.#due = revision;
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
