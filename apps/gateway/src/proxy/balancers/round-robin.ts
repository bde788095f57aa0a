import { type Balanced, type Balancer, usable } from "./balancer.ts";

/**
 * Smooth weighted round-robin (as nginx does it): every pick adds each available target's
 * weight to its running score, takes the highest and subtracts the total of those weights
 * from it. Weights 5:1:1 give a a b a c a a, never a burst of five; equal weights give plain
 * round-robin. A target that is out simply takes no part until it is back.
 */
export class RoundRobin<T extends Balanced> implements Balancer<T> {
  readonly #targets: readonly T[];
  readonly #scores: number[];

  constructor(targets: readonly T[]) {
    this.#targets = targets.filter((target) => target.weight > 0);
    this.#scores = this.#targets.map(() => 0);
  }

  pick(_req: unknown, tried: readonly T[] | null): T | null {
    const targets = this.#targets;
    let best = -1;
    let bestScore = Number.NEGATIVE_INFINITY;
    let total = 0;
    for (let i = 0; i < targets.length; i++) {
      const target = targets[i] as T;
      if (!usable(target, tried)) continue;
      const score = (this.#scores[i] as number) + target.weight;
      this.#scores[i] = score;
      total += target.weight;
      if (score > bestScore) {
        bestScore = score;
        best = i;
      }
    }
    if (best === -1) return null;
    this.#scores[best] = bestScore - total;
    return targets[best] as T;
  }
}
