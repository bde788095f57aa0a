import type { TargetHealth } from "@gatehouse/shared";

const LABELS: Record<TargetHealth["state"], { text: string; dot: string }> = {
  healthy: { text: "Healthy", dot: "dot-live" },
  unhealthy: { text: "Down", dot: "dot-down" },
  "half-open": { text: "Trial", dot: "dot-pending" },
  disabled: { text: "Disabled", dot: "" },
};

export function sinceLabel(iso: string, now = Date.now()): string {
  const seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)}h`;
  return `${Math.floor(seconds / 86_400)}d`;
}

/** A target's state as the gateway sees it, with how long it has been so. */
export function TargetHealthBadge({ health }: { health: TargetHealth | undefined }) {
  if (!health) return <span className="faint">unknown</span>;
  const { text, dot } = LABELS[health.state];
  const detail = [
    `for ${sinceLabel(health.since)}`,
    health.recentFailures > 0 ? `${health.recentFailures} failed in the last minute` : null,
    health.latencyMs !== null ? `~${Math.round(health.latencyMs)} ms` : null,
  ]
    .filter(Boolean)
    .join(" · ");
  return (
    <span className="health" data-state={health.state} title={health.lastError ?? undefined}>
      <span className="health-state">
        <span className={`dot ${dot}`} aria-hidden="true" />
        {text}
      </span>
      <span className="hint">{detail}</span>
    </span>
  );
}
