import type { IncomingMessage } from "node:http";

/** What a balancer needs of a target: its weight and whether its health admits a request now. */
export interface Balanced {
  readonly weight: number;
  readonly health: { readonly admits: boolean; readonly inflight: number };
}

/**
 * Picks a target for a request among the available ones (health admits it, not tried yet).
 * `tried` is null on a first attempt, so the common path allocates nothing.
 */
export interface Balancer<T extends Balanced> {
  pick(req: IncomingMessage, tried: readonly T[] | null): T | null;
}

export function usable<T extends Balanced>(target: T, tried: readonly T[] | null): boolean {
  return target.health.admits && (tried === null || !tried.includes(target));
}
