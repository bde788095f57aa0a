import type { HealthChecks, TargetHealthState, TargetHealth as TargetHealthView } from "@gatehouse/shared";

export type ActiveSettings = HealthChecks["active"];
export type PassiveSettings = HealthChecks["passive"];

export type HealthChangeListener = (
  target: TargetHealth,
  from: TargetHealthState,
  to: TargetHealthState,
  reason: string,
) => void;

/** Failures of the last minute, counted in 12 buckets of 5 s. */
const BUCKET_MS = 5_000;
const BUCKETS = 12;
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
  state: TargetHealthState = "healthy";
  /** Whether a balancer may pick this target now: healthy, or half-open with no trial out. */
  admits = true;
  inflight = 0;
  sinceMs: number;
  lastError: string | null = null;
  latencyMs: number | null = null;
  failuresTotal = 0;
  /** Set while an active probe is out, so a slow target never has two. */
  probing = false;
  disposed = false;

  #passive: PassiveSettings = { enabled: true, failures: 5, cooldownMs: 10_000 };
  #requestFailures = 0;
  #probeFailures = 0;
  #probePasses = 0;
  #trialOut = false;
  #cooldown: NodeJS.Timeout | null = null;
  readonly #bucketIds = new Array<number>(BUCKETS).fill(-1);
  readonly #bucketCounts = new Array<number>(BUCKETS).fill(0);
  readonly #now: () => number;
  readonly #onChange: HealthChangeListener;

  constructor(upstreamId: string, targetId: string, url: string, now: () => number, onChange: HealthChangeListener) {
    this.upstreamId = upstreamId;
    this.targetId = targetId;
    this.url = url;
    this.#now = now;
    this.#onChange = onChange;
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
    this.inflight++;
    if (this.state !== "half-open") return false;
    this.#trialOut = true;
    this.admits = false;
    return true;
  }

  /** The request's attempt is over, whatever its outcome; a trial without one frees the slot. */
  release(trial: boolean): void {
    this.inflight--;
    if (trial && this.#trialOut) {
      this.#trialOut = false;
      this.admits = this.state === "healthy" || this.state === "half-open";
    }
  }

  succeeded(latencyMs: number, trial: boolean): void {
    this.latencyMs =
      this.latencyMs === null ? latencyMs : this.latencyMs + LATENCY_WEIGHT * (latencyMs - this.latencyMs);
    if (this.state === "healthy") this.#requestFailures = 0;
    else if (trial && this.state === "half-open") this.#enter("healthy", "trial request succeeded");
  }

  failed(reason: string, trial: boolean): void {
    this.#countFailure(reason);
    if (this.state === "healthy") {
      this.#requestFailures++;
      const limit = this.#passive.failures;
      if (this.#passive.enabled && this.#requestFailures >= limit) {
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
      consecutiveFailures: Math.max(this.#requestFailures, this.#probeFailures),
      recentFailures: this.recentFailures(),
      lastError: this.lastError,
      latencyMs: this.latencyMs === null ? null : Math.round(this.latencyMs * 10) / 10,
      inflight: this.inflight,
    };
  }

  recentFailures(): number {
    const current = Math.floor(this.#now() / BUCKET_MS);
    let sum = 0;
    for (let i = 0; i < BUCKETS; i++) {
      if ((this.#bucketIds[i] as number) > current - BUCKETS) sum += this.#bucketCounts[i] as number;
    }
    return sum;
  }

  #countFailure(reason: string): void {
    this.failuresTotal++;
    this.lastError = reason;
    const bucket = Math.floor(this.#now() / BUCKET_MS);
    const slot = bucket % BUCKETS;
    if (this.#bucketIds[slot] !== bucket) {
      this.#bucketIds[slot] = bucket;
      this.#bucketCounts[slot] = 0;
    }
    this.#bucketCounts[slot] = (this.#bucketCounts[slot] as number) + 1;
  }

  #enter(to: TargetHealthState, reason: string, cooldownMs?: number): void {
    const from = this.state;
    this.state = to;
    this.sinceMs = this.#now();
    this.admits = to === "healthy" || to === "half-open";
    this.#trialOut = false;
    this.#probePasses = 0;
    this.#probeFailures = 0;
    if (to === "healthy" || to === "disabled") this.#requestFailures = 0;
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
