import type { HealthChecks, HealthEvent, TargetHealthState, TargetHealth as TargetHealthView } from "@gatehouse/shared";
import type { CompiledPoolTls } from "../upstream-tls/compile-pool-tls.ts";
import { ActiveChecker, checkerKey } from "./active-checker.ts";
import { EventLog } from "./event-log.ts";
import type { InflightCounts } from "./inflight-counts.ts";
import { RetryBudget } from "./retry-budget.ts";
import { type HealthReports, TargetHealth, targetKey } from "./target-health.ts";

/** A target's state as the host sends it to proxy workers: key, state, since (epoch ms). */
export type TargetState = [key: string, state: TargetHealthState, sinceMs: number, inflightSlot: number];

/** What one compiled upstream tells the registry when its revision goes live. */
export interface PoolHealthPlan {
  id: string;
  name: string;
  checks: HealthChecks;
  /** The pool's TLS settings, which its probes use too. */
  tls: CompiledPoolTls;
  /** Every target of the pool in display order; disabled ones (off or weight 0) included. */
  members: readonly { health: TargetHealth; enabled: boolean }[];
}

/** Per-pool state that outlives reloads: the retry budget, counters, the active checker. */
export class PoolState {
  readonly id: string;
  name: string;
  readonly budget = new RetryBudget();
  retries = 0;
  retriesDenied = 0;
  members: readonly TargetHealth[] = [];
  checker: ActiveChecker | null = null;

  constructor(id: string, name: string) {
    this.id = id;
    this.name = name;
  }
}

export interface HealthRegistryOptions {
  log?: (line: string) => void;
  now?: () => number;
  eventCapacity?: number;
  /** Told of every health change too, to keep it beyond this process (analytics.db). */
  history?: { push(event: HealthEvent): void };
  /** Told of every state change, after it is logged (the host sends it to its proxy workers). */
  onState?: (state: TargetState) => void;
  /**
   * Makes this a proxy worker's registry: request outcomes go here, states come from the
   * host through `follow`, and neither probes, events nor log lines are made here.
   */
  reports?: HealthReports;
  /** Requests in flight per target, counted by every proxy thread of the host together; the host hands out the slots. */
  inflight?: InflightCounts;
}

/**
 * The health of every target, keyed by (upstream, target id, url) so that a reload keeps an
 * unchanged target's state and a changed URL starts fresh. Compile acquires entries; `apply`
 * (only once that revision is live) configures them, starts and stops active checkers and
 * forgets what the live config no longer has. Every state change is one event and one log line.
 */
export class HealthRegistry {
  readonly #targets = new Map<string, TargetHealth>();
  readonly #pools = new Map<string, PoolState>();
  readonly #events: EventLog;
  readonly #log: (line: string) => void;
  readonly #now: () => number;
  readonly #history: HealthRegistryOptions["history"];
  readonly #onState: HealthRegistryOptions["onState"];
  readonly #reports: HealthReports | null;
  readonly #inflight: InflightCounts | null;
  readonly #onChange = (target: TargetHealth, from: TargetHealthState, to: TargetHealthState, reason: string) => {
    const event: HealthEvent = {
      at: new Date(this.#now()).toISOString(),
      upstreamId: target.upstreamId,
      targetId: target.targetId,
      url: target.url,
      from,
      to,
      reason,
    };
    this.#events.push(event);
    this.#history?.push(event);
    const pool = this.#pools.get(target.upstreamId)?.name ?? target.upstreamId;
    this.#log(`health: ${pool} ${target.url} (${target.targetId}) ${from} -> ${to}: ${reason}`);
    this.#onState?.([target.key, to, target.sinceMs, target.slot]);
  };

  constructor(options: HealthRegistryOptions = {}) {
    this.#log = options.log ?? ((line) => console.log(line));
    this.#now = options.now ?? Date.now;
    this.#events = new EventLog(options.eventCapacity ?? 500);
    this.#history = options.history;
    this.#onState = options.onState;
    this.#reports = options.reports ?? null;
    this.#inflight = options.inflight ?? null;
  }

  target(upstreamId: string, targetId: string, url: string): TargetHealth {
    const key = targetKey(upstreamId, targetId, url);
    let health = this.#targets.get(key);
    if (!health) {
      const onChange = this.#reports === null ? this.#onChange : () => {};
      health = new TargetHealth(upstreamId, targetId, url, this.#now, onChange, this.#reports);
      if (this.#inflight !== null && this.#reports === null)
        health.share(this.#inflight.counts, this.#inflight.allocate());
      this.#targets.set(key, health);
    }
    return health;
  }

  find(key: string): TargetHealth | undefined {
    return this.#targets.get(key);
  }

  /** Every target's state, for a proxy worker that starts or has just compiled a revision. */
  states(): TargetState[] {
    return [...this.#targets.values()].map((target) => [target.key, target.state, target.sinceMs, target.slot]);
  }

  /** In a proxy worker: takes the states the host decided. */
  follow(states: readonly TargetState[]): void {
    for (const [key, state, sinceMs, slot] of states) {
      const target = this.#targets.get(key);
      if (target === undefined) continue;
      target.follow(state, sinceMs);
      if (this.#inflight !== null) target.share(this.#inflight.counts, slot);
    }
  }

  pool(id: string, name: string): PoolState {
    let pool = this.#pools.get(id);
    if (!pool) {
      pool = new PoolState(id, name);
      this.#pools.set(id, pool);
    }
    return pool;
  }

  /** Makes the registry match a live config: settings, checkers, and nothing left over. */
  apply(plans: readonly PoolHealthPlan[]): void {
    const liveTargets = new Set<TargetHealth>();
    const livePools = new Set<string>();
    for (const plan of plans) {
      const pool = this.pool(plan.id, plan.name);
      pool.name = plan.name;
      livePools.add(plan.id);
      pool.members = plan.members.map((member) => member.health);
      for (const { health, enabled } of plan.members) {
        liveTargets.add(health);
        health.configure(plan.checks.passive, enabled);
      }
      this.#syncChecker(pool, plan);
    }
    for (const [key, health] of this.#targets) {
      if (liveTargets.has(health)) continue;
      health.dispose();
      if (this.#reports === null) this.#inflight?.free(health.slot);
      this.#targets.delete(key);
    }
    for (const [id, pool] of this.#pools) {
      if (livePools.has(id)) continue;
      pool.checker?.stop();
      this.#pools.delete(id);
    }
  }

  view(upstreamId: string): { upstreamId: string; targets: TargetHealthView[]; events: HealthEvent[] } | null {
    const pool = this.#pools.get(upstreamId);
    if (!pool) return null;
    return {
      upstreamId,
      targets: pool.members.map((member) => member.view()),
      events: this.#events.list(upstreamId),
    };
  }

  findPool(id: string): PoolState | undefined {
    return this.#pools.get(id);
  }

  pools(): IterableIterator<PoolState> {
    return this.#pools.values();
  }

  async close(): Promise<void> {
    this.apply([]);
  }

  #syncChecker(pool: PoolState, plan: PoolHealthPlan): void {
    const active = plan.checks.active;
    if (!active.enabled || this.#reports !== null) {
      pool.checker?.stop();
      pool.checker = null;
      return;
    }
    const targets = plan.members.filter((member) => member.enabled).map((member) => member.health);
    if (pool.checker?.key === checkerKey(active, plan.tls)) {
      pool.checker.targets = targets;
      return;
    }
    pool.checker?.stop();
    pool.checker = new ActiveChecker(active, plan.tls);
    pool.checker.targets = targets;
    pool.checker.start();
  }
}
