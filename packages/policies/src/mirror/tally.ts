import type { PolicyMetric, PolicyServices } from "../types.ts";

export const MIRROR_REQUESTS: PolicyMetric = {
  name: "gatehouse_mirror_requests_total",
  help: "Request copies of each mirror policy: sent (answered), failed (refused, reset or timed out), dropped (too many in flight) or skipped (body too large).",
};

export type MirrorOutcome = "sent" | "failed" | "dropped" | "skipped";

const LOG_EVERY_MS = 60_000;

/**
 * One mirror policy's copies on this thread, kept across reloads: those in flight (the bound
 * holds for copies a previous revision started), the counts for /metrics, and a log line at
 * most once a minute, never one per request.
 */
export class MirrorTally {
  inFlight = 0;
  readonly #policyId: string;
  readonly #services: Pick<PolicyServices, "metrics" | "log">;
  /** Problems since the last log line. */
  readonly #unlogged = { failed: 0, dropped: 0, skipped: 0 };
  #loggedAt = Number.NEGATIVE_INFINITY;
  #lastError = "";

  constructor(policyId: string, services: Pick<PolicyServices, "metrics" | "log">) {
    this.#policyId = policyId;
    this.#services = services;
  }

  count(outcome: MirrorOutcome, error?: Error): void {
    this.#services.metrics?.count(MIRROR_REQUESTS, this.#policyId, outcome);
    if (outcome === "sent") return;
    this.#unlogged[outcome]++;
    if (error !== undefined) this.#lastError = error.message;
    const now = Date.now();
    if (now - this.#loggedAt < LOG_EVERY_MS) return;
    this.#loggedAt = now;
    const { failed, dropped, skipped } = this.#unlogged;
    const why = this.#lastError === "" ? "" : ` (last failure: ${this.#lastError})`;
    this.#services.log(
      `mirror ${this.#policyId}: ${failed} failed, ${dropped} dropped, ${skipped} skipped since the last line${why}`,
    );
    this.#unlogged.failed = 0;
    this.#unlogged.dropped = 0;
    this.#unlogged.skipped = 0;
  }
}
