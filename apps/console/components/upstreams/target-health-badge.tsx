import type { TargetHealth } from "@gatehouse/shared";
import { sinceLabel } from "@/lib/since-label.ts";

const LABELS: Record<TargetHealth["state"], { text: string; dot: string }> = {
  healthy: { text: "Healthy", dot: "dot-live" },
  unhealthy: { text: "Down", dot: "dot-down" },
  "half-open": { text: "Trial", dot: "dot-pending" },
  disabled: { text: "Disabled", dot: "" },
};

/**
 * Whether a target the breaker still admits failed requests in the last minute: with passive
 * checks off or below their threshold, such a target is "healthy" to the balancer but not to
 * the people looking at it.
 */
export function isFailing(health: TargetHealth): boolean {
  return health.state === "healthy" && health.recentRequestFailures > 0;
}

/** A target's state as the gateway sees it, with how long it has been so. */
export function TargetHealthBadge({ health }: { health: TargetHealth | undefined }) {
  if (!health) return <span className="faint">unknown</span>;
  const failing = isFailing(health);
  const { text, dot } = failing
    ? {
        text: `failing (${health.recentRequestFailures} of ${health.recentRequests} requests)`,
        dot: "dot-down",
      }
    : LABELS[health.state];
  const detail = [
    `for ${sinceLabel(health.since)}`,
    failing
      ? "in the last minute"
      : health.recentFailures > 0
        ? `${health.recentFailures} failed in the last minute`
        : null,
    health.latencyMs !== null ? `~${Math.round(health.latencyMs)} ms` : null,
  ]
    .filter(Boolean)
    .join(" · ");
  return (
    <span className="health" data-state={failing ? "failing" : health.state} title={health.lastError ?? undefined}>
      <span className="health-state">
        <span className={`dot ${dot}`} aria-hidden="true" />
        {text}
      </span>
      <span className="hint">{detail}</span>
    </span>
  );
}
