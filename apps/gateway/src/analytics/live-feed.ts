type Listener = (json: string) => void;

/**
 * Fans the live stream out to the open /stream connections: each flush's completed seconds,
 * serialised once on the writer's thread for all of them.
 */
export class LiveFeed {
  readonly #listeners = new Set<Listener>();

  subscribe(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Whether anyone listens: with nobody, the writer's thread does not build the message. */
  get wanted(): boolean {
    return this.#listeners.size > 0;
  }

  publish(json: string): void {
    for (const listener of this.#listeners) listener(json);
  }
}
