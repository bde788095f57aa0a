import type { IncomingMessage } from "node:http";
import { describe, expect, test } from "vitest";
import { kConsumerId, type WithConsumerId } from "../headers.ts";
import { ConsistentHash } from "./consistent-hash.ts";
import { LeastConnections } from "./least-connections.ts";
import { RoundRobin } from "./round-robin.ts";

interface Fake {
  id: string;
  weight: number;
  health: { admits: boolean; inflight: number };
}
const target = (id: string, weight = 100): Fake => ({ id, weight, health: { admits: true, inflight: 0 } });
const req = {} as IncomingMessage;
const picks = (balancer: { pick(r: IncomingMessage, t: null): Fake | null }, n: number) =>
  Array.from({ length: n }, () => balancer.pick(req, null)?.id ?? "-").join("");

describe("round-robin", () => {
  test("smooth weights, and a target that is out takes no part until it is back", () => {
    const [a, b, c] = [target("a", 5), target("b", 1), target("c", 1)];
    const rr = new RoundRobin([a, b, c]);
    expect(picks(rr, 7)).toBe("aabacaa");
    b.health.admits = false;
    expect(picks(rr, 12)).not.toContain("b");
    expect(rr.pick(req, [a, c])).toBeNull();
    b.health.admits = true;
    expect(picks(rr, 14)).toContain("b");
  });
});

describe("least-connections", () => {
  test("prefers the fewest in-flight per weight, rotating among ties", () => {
    const [a, b] = [target("a"), target("b")];
    const lc = new LeastConnections([a, b]);
    expect(picks(lc, 4)).toBe("abab");
    a.health.inflight = 2;
    expect(picks(lc, 4)).toBe("bbbb");
    b.health.inflight = 5;
    expect(picks(lc, 2)).toBe("aa");
    const heavy = target("h", 300);
    heavy.health.inflight = 1; // (1+1)/300 beats (0+1)/100
    expect(new LeastConnections([target("l"), heavy]).pick(req, null)?.id).toBe("h");
  });
});

describe("consistent hash", () => {
  const KEYS = Array.from({ length: 20_000 }, (_, i) => `client-${i}`);
  const owners = (ring: ConsistentHash<Fake>) => KEYS.map((key) => ring.lookup(key)?.id);
  const moved = (before: (string | undefined)[], after: (string | undefined)[]) =>
    before.filter((owner, i) => owner !== after[i]).length / KEYS.length;

  test("a key stays on its target; spread is even within weights", () => {
    const targets = Array.from({ length: 5 }, (_, i) => target(`tgt_${i}`));
    const ring = new ConsistentHash(targets);
    expect(owners(ring)).toEqual(owners(new ConsistentHash(targets)));
    const counts = new Map<string, number>();
    for (const owner of owners(ring)) counts.set(owner as string, (counts.get(owner as string) ?? 0) + 1);
    for (const count of counts.values()) expect(count / KEYS.length).toBeGreaterThan(0.2 * 0.6);
  });

  test("adding or removing one of N targets remaps about 1/N of the keys", () => {
    for (const n of [3, 10]) {
      const targets = Array.from({ length: n }, (_, i) => target(`tgt_${i}`));
      const before = owners(new ConsistentHash(targets));
      const added = moved(before, owners(new ConsistentHash([...targets, target("tgt_new")])));
      expect(added).toBeGreaterThan(0.5 / (n + 1));
      expect(added).toBeLessThan(1.5 / (n + 1));
      const afterRemoval = owners(new ConsistentHash(targets.slice(1)));
      const removed = moved(before, afterRemoval);
      expect(removed).toBeGreaterThan(0.5 / n);
      expect(removed).toBeLessThan(1.5 / n);
      // Only the removed target's keys moved.
      before.forEach((owner, i) => {
        if (owner !== "tgt_0") expect(afterRemoval[i]).toBe(owner);
      });
    }
  });

  test("an unavailable target's keys move to the next node, the others stay, and all come back", () => {
    const targets = Array.from({ length: 4 }, (_, i) => target(`tgt_${i}`));
    const ring = new ConsistentHash(targets);
    const before = owners(ring);
    (targets[2] as Fake).health.admits = false;
    const during = owners(ring);
    before.forEach((owner, i) => {
      if (owner === "tgt_2") expect(during[i]).not.toBe("tgt_2");
      else expect(during[i]).toBe(owner);
    });
    (targets[2] as Fake).health.admits = true;
    expect(owners(ring)).toEqual(before);
    expect(ring.lookup("k", targets)).toBeNull();
  });

  test("keys on the consumer an auth policy named, falling back to the client address", () => {
    const ring = new ConsistentHash([target("a"), target("b"), target("c")], { by: "consumer" });
    const asConsumer = (id: string) => {
      const req = { headers: {}, socket: { remoteAddress: "10.9.9.9" } } as unknown as WithConsumerId;
      req[kConsumerId] = id;
      return req;
    };
    for (const id of ["con_a", "con_b", "con_c", "con_d"])
      expect(ring.pick(asConsumer(id), null)).toBe(ring.lookup(id));
    const anonymous = { headers: {}, socket: { remoteAddress: "10.1.2.3" } } as unknown as IncomingMessage;
    expect(ring.pick(anonymous, null)).toBe(ring.lookup("10.1.2.3"));
  });

  test("keys on a header, falling back to the client address", () => {
    const ring = new ConsistentHash([target("a"), target("b"), target("c")], { by: "header", header: "x-user" });
    const withHeader = (user: string) => ({ headers: { "x-user": user }, socket: {} }) as unknown as IncomingMessage;
    expect(ring.pick(withHeader("alice"), null)).toBe(ring.lookup("alice"));
    const noHeader = { headers: {}, socket: { remoteAddress: "::ffff:10.1.2.3" } } as unknown as IncomingMessage;
    expect(ring.pick(noHeader, null)).toBe(ring.lookup("10.1.2.3"));
  });
});
