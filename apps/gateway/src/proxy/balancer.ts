/**
 * Smooth weighted round-robin (as nginx does it): every pick adds each weight to its running
 * score, takes the highest and subtracts the total from it. Weights 5:1:1 give a a b a c a a,
 * never a burst of five; equal weights give plain round-robin.
 */
export class WeightedRoundRobin<T> {
  readonly size: number;
  readonly #items: readonly T[];
  readonly #weights: readonly number[];
  readonly #scores: number[];
  readonly #total: number;

  constructor(items: readonly { item: T; weight: number }[]) {
    const usable = items.filter((entry) => entry.weight > 0);
    this.#items = usable.map((entry) => entry.item);
    this.#weights = usable.map((entry) => entry.weight);
    this.#scores = usable.map(() => 0);
    this.#total = this.#weights.reduce((sum, weight) => sum + weight, 0);
    this.size = usable.length;
  }

  pick(): T | null {
    const count = this.#items.length;
    if (count === 0) return null;
    if (count === 1) return this.#items[0] as T;
    let best = 0;
    let bestScore = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < count; i++) {
      const score = (this.#scores[i] as number) + (this.#weights[i] as number);
      this.#scores[i] = score;
      if (score > bestScore) {
        bestScore = score;
        best = i;
      }
    }
    this.#scores[best] = bestScore - this.#total;
    return this.#items[best] as T;
  }
}
