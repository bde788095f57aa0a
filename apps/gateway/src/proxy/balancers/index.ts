import type { BalancingAlgorithm, HashOn } from "@gatehouse/shared";
import type { Balanced, Balancer } from "./balancer.ts";
import { ConsistentHash } from "./consistent-hash.ts";
import { LeastConnections } from "./least-connections.ts";
import { RoundRobin } from "./round-robin.ts";

export type { Balanced, Balancer } from "./balancer.ts";

export function createBalancer<T extends Balanced & { readonly id: string }>(
  algorithm: BalancingAlgorithm,
  targets: readonly T[],
  hashOn: HashOn,
): Balancer<T> {
  switch (algorithm) {
    case "round-robin":
      return new RoundRobin(targets);
    case "least-connections":
      return new LeastConnections(targets);
    case "consistent-hash":
      return new ConsistentHash(targets, hashOn);
    default:
      throw new Error(`unknown balancing algorithm ${JSON.stringify(algorithm)}`);
  }
}
