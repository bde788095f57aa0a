/**
 * State a policy keeps across config revisions (rate-limit counters, a JWKS cache, a Redis
 * client), keyed by the policy's id. A revision that drops a policy drops its state.
 */
export class PolicyState {
  readonly #entries = new Map<string, unknown>();

  get<T>(policyId: string, create: () => T): T {
    let value = this.#entries.get(policyId);
    if (value === undefined) {
      value = create();
      this.#entries.set(policyId, value);
    }
    return value as T;
  }

  /** Forgets (and closes, where it can be closed) the state of every policy not in `ids`. */
  retain(ids: ReadonlySet<string>): void {
    for (const [id, value] of this.#entries) {
      if (ids.has(id)) continue;
      this.#entries.delete(id);
      closeQuietly(value);
    }
  }

  close(): void {
    this.retain(new Set());
  }

  get size(): number {
    return this.#entries.size;
  }
}

function closeQuietly(value: unknown): void {
  const close = (value as { close?: unknown } | null)?.close;
  if (typeof close !== "function") return;
  try {
    const closing = close.call(value);
    if (closing instanceof Promise) closing.catch(() => {});
  } catch {
    // A state that fails to close has nothing left to release that we could act on.
  }
}
