import { type Balanced, type Balancer, usable } from "./balancer.ts";

/**
 * Weighted least-connections: the available target with the fewest in-flight requests per
 * unit of weight, counting the one about to be sent. Ties go round the list from a rotating
 * start, so idle targets share the load instead of the first one taking it all.
 */
export class LeastConnections<T extends Balanced> implements Balancer<T> {
  readonly #targets: readonly T[];
  #start = 0;

  constructor(targets: readonly T[]) {
    this.#targets = targets.filter((target) => target.weight > 0);
  }

  pick(_req: unknown, tried: readonly T[] | null): T | null {
    const targets = this.#targets;
    const count = targets.length;
    if (count === 0) return null;
    const start = this.#start;
    this.#start = start + 1 === count ? 0 : start + 1;
    let best: T | null = null;
    let bestScore = Number.POSITIVE_INFINITY;
    for (let k = 0; k < count; k++) {
      const target = targets[(start + k) % count] as T;
      if (!usable(target, tried)) continue;
      const score = (target.health.inflight + 1) / target.weight;
      if (score < bestScore) {
        bestScore = score;
        best = target;
      }
    }
    return best;
  }
}
