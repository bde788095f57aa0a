import type { IncomingHttpHeaders } from "node:http";
import type { ResponseHook, UpstreamResponse } from "@gatehouse/policies";

/**
 * The upstream's answer while policies' response hooks act on it. Headers hooks run at once;
 * with a body transform the body is held, up to the smallest limit a transform asked for, and
 * sent transformed at the end. A body past that limit is let go as it came, untransformed.
 */
export class HookedResponse {
  readonly response: UpstreamResponse;
  readonly #hooks: readonly ResponseHook[];
  #held: Buffer[] | null = null;
  #heldBytes = 0;
  readonly #holdLimit: number;
  #ended = false;

  constructor(hooks: readonly ResponseHook[], status: number, headers: IncomingHttpHeaders) {
    this.#hooks = hooks;
    const copy: Record<string, string | string[]> = {};
    for (const name in headers) {
      const value = headers[name];
      if (value !== undefined) copy[name] = value;
    }
    this.response = { status, headers: copy };
    let holdLimit = Number.POSITIVE_INFINITY;
    for (const hook of hooks) {
      hook.onHeaders?.(this.response);
      if (hook.transformBody !== undefined) holdLimit = Math.min(holdLimit, hook.bodyLimit ?? 0);
    }
    this.#holdLimit = holdLimit;
    // A 204 or 304 has no body to transform, and must not be given a Content-Length of 0 as if it had.
    if (holdLimit !== Number.POSITIVE_INFINITY && status !== 204 && status !== 304) this.#held = [];
  }

  /** The body is being held for a transform: the head waits for it. */
  get holding(): boolean {
    return this.#held !== null;
  }

  /** Keeps a chunk back; false when the body outgrew the limit, and the held chunks are given up by `overflowed`. */
  hold(chunk: Buffer): boolean {
    (this.#held as Buffer[]).push(chunk);
    this.#heldBytes += chunk.length;
    return this.#heldBytes <= this.#holdLimit;
  }

  /** Gives up holding a body that outgrew the limit: the chunks held, to send as they came, told to `onData` like any other. */
  overflowed(): Buffer[] {
    const held = this.release();
    for (const chunk of held) this.sent(chunk);
    return held;
  }

  /** Stops holding: the chunks held so far. */
  release(): Buffer[] {
    const held = this.#held ?? [];
    this.#held = null;
    return held;
  }

  /** The held body through every transform, with its Content-Length set. */
  transformed(): Buffer {
    const held = this.release();
    let body = held.length === 1 ? (held[0] as Buffer) : Buffer.concat(held);
    for (const hook of this.#hooks) {
      if (hook.transformBody !== undefined) body = hook.transformBody(body, this.response);
    }
    this.response.headers["content-length"] = String(body.length);
    return body;
  }

  /** A chunk on its way to the client. */
  sent(chunk: Buffer): void {
    for (const hook of this.#hooks) hook.onData?.(chunk);
  }

  end(complete: boolean): void {
    if (this.#ended) return;
    this.#ended = true;
    for (const hook of this.#hooks) hook.onEnd?.(complete);
  }
}

/**
 * Ends the hooks of a request whose exchange never had an upstream answer (refused after the
 * hooks were added, no target, failed before the response began): they learn it failed.
 */
export function endUnanswered(hooks: readonly ResponseHook[]): void {
  for (const hook of hooks) hook.onEnd?.(false);
}
