import type { PolicyMetric, PolicyMetrics } from "@gatehouse/policies";

/** One counter as it crosses from a proxy worker to the host. */
export type PolicyCount = [metric: string, policyId: string, outcome: string, n: number];

/**
 * What policies counted on one thread. A proxy worker takes its counts into each report and
 * the host merges them into its own, which /metrics reads; with one thread the host's are the
 * ones counted.
 */
export class PolicyCounts implements PolicyMetrics {
  readonly #counts = new Map<string, PolicyCount>();

  count(metric: PolicyMetric, policyId: string, outcome: string): void {
    this.#add(metric.name, policyId, outcome, 1);
  }

  /** The counts since the last take, leaving none. */
  take(): PolicyCount[] {
    const taken = [...this.#counts.values()];
    this.#counts.clear();
    return taken;
  }

  merge(counts: readonly PolicyCount[]): void {
    for (const [metric, policyId, outcome, n] of counts) this.#add(metric, policyId, outcome, n);
  }

  /** Every count of one metric. */
  *of(metric: string): Iterable<PolicyCount> {
    for (const count of this.#counts.values()) if (count[0] === metric) yield count;
  }

  #add(metric: string, policyId: string, outcome: string, n: number): void {
    const key = `${metric}\n${policyId}\n${outcome}`;
    const count = this.#counts.get(key);
    if (count === undefined) this.#counts.set(key, [metric, policyId, outcome, n]);
    else count[3] += n;
  }
}
