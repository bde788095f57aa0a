import type { LivePhase } from "./use-live-revision.ts";

interface LiveStatusProps {
  saving: boolean;
  phase: LivePhase;
  error?: string | undefined;
  id?: string;
}

/** "saving…" → "live on gateway", or a warning when the gateway has not picked the change up. */
export function LiveStatus({ saving, phase, error, id }: LiveStatusProps) {
  let tone = "";
  let text = "";
  if (error) {
    tone = "error";
    text = error;
  } else if (saving || phase === "waiting") {
    tone = "saving";
    text = "Saving…";
  } else if (phase === "live") {
    tone = "live";
    text = "Live on gateway";
  } else if (phase === "rejected") {
    tone = "error";
    text = "Saved, but the gateway refused the new config and serves the previous one (see the gateway status)";
  } else if (phase === "not-live") {
    tone = "warning";
    text = "Saved, not yet live: the gateway is unreachable";
  }
  return (
    <span id={id} className={`live-status ${tone}`} role="status" aria-live="polite">
      {tone === "saving" ? <span className="spinner" aria-hidden="true" /> : null}
      {tone === "live" ? <span className="dot dot-live" aria-hidden="true" /> : null}
      {text}
    </span>
  );
}
