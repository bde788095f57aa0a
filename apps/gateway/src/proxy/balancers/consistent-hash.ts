import type { IncomingMessage } from "node:http";
import type { HashOn } from "@gatehouse/shared";
import { clientAddress, kConsumerId, type WithConsumerId } from "../headers.ts";
import { type Balanced, type Balancer, usable } from "./balancer.ts";
import { hash32 } from "./hash.ts";

/** Virtual nodes per 100 weight (the default weight): enough for an even spread of 64 targets. */
const VNODES_PER_100_WEIGHT = 160;

/**
 * Consistent hashing on a ring of virtual nodes, as many per target as its weight asks. A key
 * goes to the first node at or after its hash; adding or removing one of N targets moves only
 * the keys of that target's nodes (about 1/N). When a key's target is out, the key walks on to
 * the next available node, so only that target's keys move and they come back with it.
 */
export class ConsistentHash<T extends Balanced & { readonly id: string }> implements Balancer<T> {
  readonly #targets: readonly T[];
  readonly #points: Uint32Array;
  readonly #owners: Uint16Array;
  readonly #hashOn: HashOn;

  constructor(targets: readonly T[], hashOn: HashOn = { by: "ip" }) {
    this.#targets = targets.filter((target) => target.weight > 0);
    this.#hashOn = hashOn;
    const nodes: { point: number; owner: number; id: string }[] = [];
    this.#targets.forEach((target, owner) => {
      const count = Math.max(1, Math.round((target.weight * VNODES_PER_100_WEIGHT) / 100));
      for (let v = 0; v < count; v++) nodes.push({ point: hash32(`${target.id}#${v}`), owner, id: target.id });
    });
    // Ties (rare 32-bit collisions) are broken by id so every gateway builds the same ring.
    nodes.sort((a, b) => a.point - b.point || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    this.#points = Uint32Array.from(nodes, (node) => node.point);
    this.#owners = Uint16Array.from(nodes, (node) => node.owner);
  }

  pick(req: IncomingMessage, tried: readonly T[] | null): T | null {
    return this.lookup(this.#keyOf(req), tried);
  }

  /** The target for `key`: its own node's owner, or the next available one clockwise. */
  lookup(key: string, tried: readonly T[] | null = null): T | null {
    const points = this.#points;
    const count = points.length;
    if (count === 0) return null;
    const start = firstAtOrAfter(points, hash32(key)) % count;
    const first = this.#targets[this.#owners[start] as number] as T;
    if (usable(first, tried)) return first;
    if (!this.#targets.some((target) => usable(target, tried))) return null;
    for (let step = 1; step < count; step++) {
      const target = this.#targets[this.#owners[(start + step) % count] as number] as T;
      if (usable(target, tried)) return target;
    }
    return null;
  }

  #keyOf(req: IncomingMessage): string {
    if (this.#hashOn.by === "consumer") {
      const consumerId = (req as WithConsumerId)[kConsumerId];
      if (consumerId !== undefined) return consumerId;
    } else if (this.#hashOn.by === "header") {
      const value = req.headers[this.#hashOn.header];
      if (typeof value === "string") return value;
      if (Array.isArray(value) && value.length > 0) return value[0] as string;
    }
    // No header or consumer on the request: fall back to the client address rather than one hot node.
    return clientAddress(req);
  }
}

function firstAtOrAfter(points: Uint32Array, value: number): number {
  let low = 0;
  let high = points.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((points[mid] as number) < value) low = mid + 1;
    else high = mid;
  }
  return low;
}
