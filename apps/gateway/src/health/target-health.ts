import type { HealthChecks, TargetHealthState, TargetHealth as TargetHealthView } from "@gatehouse/shared";
import { MinuteCounts } from "./minute-counts.ts";

export type ActiveSettings = HealthChecks["active"];
export type PassiveSettings = HealthChecks["passive"];

export type HealthChangeListener = (
  target: TargetHealth,
  from: TargetHealthState,
  to: TargetHealthState,
  reason: string,
) => void;

/**
 * Where a proxy worker's target sends what its requests saw: the host's registry decides
 * the state (one breaker per host) and sends it back with `follow`.
 */
export interface HealthReports {
  succeeded(key: string, latencyMs: number, trial: boolean): void;
  /** `tripped`: this failure took the worker past the passive threshold. */
  failed(key: string, reason: string, trial: boolean, tripped: boolean): void;
}

/** The registry's key of a target: one per (upstream, target id, url). */
export function targetKey(upstreamId: string, targetId: string, url: string): string {
  return `${upstreamId}\n${targetId}\n${url}`;
}

/** Weight of the newest response time in the moving average. */
const LATENCY_WEIGHT = 0.2;

/**
 * The health of one target: a circuit breaker fed by requests (passive) and probes (active).
 *
 *   healthy ──N failed requests──► unhealthy ──cool-down──► half-open ──trial ok──► healthy
 *      ▲                              ▲  │                     │
 *      │                              │  └──probes pass────────┼──────────────────► healthy
 *      └──────── probes pass ─────────┴────── trial failed ◄───┘
 *
 * A target taken out by failing probes stays out until probes pass (no cool-down): the
 * probes are the evidence. One object lives per (upstream, target id, url) across reloads.
 */
export class TargetHealth {
  readonly upstreamId: string;
  readonly targetId: string;
  readonly url: string;
  readonly key: string;
  state: TargetHealthState = "healthy";
  get inflight(): number {
    return this.#shared === null ? this.#inflight : Atomics.load(this.#shared, this.slot);
  }

  /** Counts in flight in the host's shared counts from now on. */
  share(counts: Int32Array, slot: number): void {
    if (slot < 0 || (this.#shared === counts && this.slot === slot)) return;
    this.#shared = counts;
    this.slot = slot;
  }

  /** Whether a balancer may pick this target now: healthy, or half-open with no trial out. */
  admits = true;
  #inflight = 0;
  /** Where the host's threads count this target's requests in flight together; null: this thread alone. */
  #shared: Int32Array | null = null;
  /** The target's slot in the host's shared in-flight counts; -1 for none. */
  slot = -1;
  sinceMs: number;
  lastError: string | null = null;
  latencyMs: number | null = null;
  failuresTotal = 0;
  /** Set while an active probe is out, so a slow target never has two. */
  probing = false;
  disposed = false;

  #passive: PassiveSettings = { enabled: true, failures: 5, cooldownMs: 10_000 };
  #consecutiveRequestFailures = 0;
  #probeFailures = 0;
  #probePasses = 0;
  #trialOut = false;
  #cooldown: NodeJS.Timeout | null = null;
  /** Failed requests and probes of the last minute. */
  readonly #failures = new MinuteCounts();
  /**
   * Requests of the last minute, and how many of them failed, whatever the state: with passive
   * checks off or below their threshold a target can fail most requests and stay "healthy".
   */
  readonly #requests = new MinuteCounts();
  readonly #requestFailures = new MinuteCounts();
  readonly #now: () => number;
  readonly #onChange: HealthChangeListener;
  /** Set in a proxy worker: outcomes go to the host, and the state comes from it. */
  readonly #reports: HealthReports | null;

  constructor(
    upstreamId: string,
    targetId: string,
    url: string,
    now: () => number,
    onChange: HealthChangeListener,
    reports: HealthReports | null = null,
  ) {
    this.upstreamId = upstreamId;
    this.targetId = targetId;
    this.url = url;
    this.key = targetKey(upstreamId, targetId, url);
    this.#now = now;
    this.#onChange = onChange;
    this.#reports = reports;
    this.sinceMs = now();
  }

  /** Applies a config revision: passive settings, and whether the target is enabled at all. */
  configure(passive: PassiveSettings, enabled: boolean): void {
    this.#passive = passive;
    if (!enabled && this.state !== "disabled") this.#enter("disabled", "disabled in config");
    else if (enabled && this.state === "disabled") this.#enter("healthy", "enabled in config");
  }

  /** A request is being sent here; returns true when it is the half-open trial. */
  admit(): boolean {
    if (this.#shared === null) this.#inflight++;
    else Atomics.add(this.#shared, this.slot, 1);
    if (this.state !== "half-open") return false;
    this.#trialOut = true;
    this.admits = false;
    return true;
  }

  /** The request's attempt is over, whatever its outcome; a trial without one frees the slot. */
  release(trial: boolean): void {
    if (this.#shared === null) this.#inflight--;
    else Atomics.sub(this.#shared, this.slot, 1);
    if (trial && this.#trialOut) {
      this.#trialOut = false;
      this.admits = this.state === "healthy" || this.state === "half-open";
    }
  }

  /** `count` successes of `latencyMs` on average: a worker's report sums a run of them. */
  succeeded(latencyMs: number, trial: boolean, count = 1): void {
    if (this.#reports !== null) {
      if (this.state === "healthy") this.#consecutiveRequestFailures = 0;
      this.#reports.succeeded(this.key, latencyMs, trial);
      return;
    }
    this.#requests.add(this.#now(), count);
    this.latencyMs =
      this.latencyMs === null ? latencyMs : this.latencyMs + LATENCY_WEIGHT * (latencyMs - this.latencyMs);
    if (this.state === "healthy") this.#consecutiveRequestFailures = 0;
    else if (trial && this.state === "half-open") this.#enter("healthy", "trial request succeeded");
  }

  failed(reason: string, trial: boolean): void {
    if (this.#reports !== null) {
      this.#followerFailed(reason, trial);
      return;
    }
    const now = this.#now();
    this.#requests.add(now);
    this.#requestFailures.add(now);
    this.#countFailure(reason);
    if (this.state === "healthy") {
      this.#consecutiveRequestFailures++;
      const limit = this.#passive.failures;
      if (this.#passive.enabled && this.#consecutiveRequestFailures >= limit) {
        this.#enter("unhealthy", `${limit} consecutive failed requests, last: ${reason}`, this.#passive.cooldownMs);
      }
    } else if (trial && this.state === "half-open") {
      this.#enter("unhealthy", `trial request failed: ${reason}`, this.#passive.cooldownMs);
    }
  }

  probed(passed: boolean, reason: string, active: ActiveSettings): void {
    if (this.disposed || this.state === "disabled") return;
    if (passed) {
      this.#probeFailures = 0;
      this.#probePasses++;
      if (this.state !== "healthy" && this.#probePasses >= active.healthyThreshold) {
        this.#enter("healthy", `${active.healthyThreshold} consecutive probes passed`);
      }
      return;
    }
    this.#countFailure(reason);
    this.#probePasses = 0;
    this.#probeFailures++;
    if (this.state !== "unhealthy" && this.#probeFailures >= active.unhealthyThreshold) {
      this.#enter("unhealthy", `${active.unhealthyThreshold} consecutive probes failed, last: ${reason}`);
    }
  }

  /**
   * In a proxy worker: the failure goes to the host, and a worker that sees the passive
   * threshold itself takes the target out at once (its next request must not wait for the
   * host's answer) and tells the host, whose breaker then trips for every worker.
   */
  #followerFailed(reason: string, trial: boolean): void {
    let tripped = false;
    if (this.state === "healthy" && this.#passive.enabled) {
      this.#consecutiveRequestFailures++;
      if (this.#consecutiveRequestFailures >= this.#passive.failures) {
        tripped = true;
        this.state = "unhealthy";
        this.admits = false;
        this.#consecutiveRequestFailures = 0;
      }
    }
    (this.#reports as HealthReports).failed(this.key, reason, trial, tripped);
  }

  /** On the host: a worker saw the passive threshold on its own requests. */
  trip(reason: string): void {
    if (this.state !== "healthy" || !this.#passive.enabled) return;
    const limit = this.#passive.failures;
    this.#enter(
      "unhealthy",
      `${limit} consecutive failed requests on one worker, last: ${reason}`,
      this.#passive.cooldownMs,
    );
  }

  /** In a proxy worker: the state the host decided, as of `sinceMs`. */
  follow(state: TargetHealthState, sinceMs: number): void {
    if (state === this.state && sinceMs === this.sinceMs) return;
    this.state = state;
    this.sinceMs = sinceMs;
    this.admits = state === "healthy" || state === "half-open";
    this.#trialOut = false;
    this.#consecutiveRequestFailures = 0;
  }

  dispose(): void {
    this.disposed = true;
    this.#clearCooldown();
  }

  view(): TargetHealthView {
    return {
      targetId: this.targetId,
      url: this.url,
      state: this.state,
      since: new Date(this.sinceMs).toISOString(),
      consecutiveFailures: Math.max(this.#consecutiveRequestFailures, this.#probeFailures),
      recentFailures: this.recentFailures(),
      recentRequests: this.#requests.total(this.#now()),
      recentRequestFailures: this.#requestFailures.total(this.#now()),
      lastError: this.lastError,
      latencyMs: this.latencyMs === null ? null : Math.round(this.latencyMs * 10) / 10,
      inflight: this.inflight,
    };
  }

  recentFailures(): number {
    return this.#failures.total(this.#now());
  }

  #countFailure(reason: string): void {
    this.failuresTotal++;
    this.lastError = reason;
    this.#failures.add(this.#now());
  }

  #enter(to: TargetHealthState, reason: string, cooldownMs?: number): void {
    const from = this.state;
    this.state = to;
    this.sinceMs = this.#now();
    this.admits = to === "healthy" || to === "half-open";
    this.#trialOut = false;
    this.#probePasses = 0;
    this.#probeFailures = 0;
    if (to === "healthy" || to === "disabled") this.#consecutiveRequestFailures = 0;
    this.#clearCooldown();
    if (cooldownMs !== undefined && !this.disposed) {
      this.#cooldown = setTimeout(enterHalfOpen, cooldownMs, this, cooldownMs);
      this.#cooldown.unref();
    }
    this.#onChange(this, from, to, reason);
  }

  /** Called by the cool-down timer only. */
  coolDown(cooldownMs: number): void {
    this.#cooldown = null;
    if (this.state === "unhealthy" && !this.disposed) this.#enter("half-open", `cool-down of ${cooldownMs} ms elapsed`);
  }

  #clearCooldown(): void {
    if (this.#cooldown === null) return;
    clearTimeout(this.#cooldown);
    this.#cooldown = null;
  }
}

function enterHalfOpen(target: TargetHealth, cooldownMs: number): void {
  target.coolDown(cooldownMs);
}
