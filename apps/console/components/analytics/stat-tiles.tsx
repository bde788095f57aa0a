import type { TimeseriesPoint, TrafficTotals } from "@gatehouse/shared";
import { formatCount, formatMs, formatPercent, formatRate } from "./format.ts";

interface StatTilesProps {
  totals: Pick<TrafficTotals, "requests" | "errors4xx" | "errors5xx" | "p50" | "p95" | "p99">;
  /** Length of the window the totals cover. */
  seconds: number;
  /** "the last hour" */
  span: string;
  /** Live: the second that just ended, shown first. */
  latest?: TimeseriesPoint | undefined;
}

/** The headline numbers over a window: rate, errors and latency. */
export function StatTiles({ totals, seconds, span, latest }: StatTilesProps) {
  const average = totals.requests / Math.max(seconds, 1);
  const errors = totals.errors4xx + totals.errors5xx;
  const latency = latest ?? totals;
  return (
    <dl className="tiles">
      <Tile
        label="Requests/s"
        value={formatRate(latest ? latest.requests : average)}
        hint={
          latest
            ? `last second · ${formatRate(average)} on average over ${span}`
            : `${formatCount(totals.requests)} requests in ${span}`
        }
      />
      <Tile
        label="Error rate"
        value={formatPercent(errors, totals.requests)}
        hint={`${formatCount(totals.errors4xx)} 4xx and ${formatCount(totals.errors5xx)} 5xx in ${span}`}
      />
      <Tile
        label="5xx rate"
        value={formatPercent(totals.errors5xx, totals.requests)}
        hint="Upstream failures and gateway errors"
      />
      <Tile
        label="p95 latency"
        value={formatMs(latency.p95)}
        hint={`p50 ${formatMs(latency.p50)} · p99 ${formatMs(latency.p99)}${latest ? " · last second" : ""}`}
      />
    </dl>
  );
}

function Tile({ label, value, hint }: { label: string; value: string; hint: string }) {
  return (
    <div className="tile">
      <dt>{label}</dt>
      <dd className="tile-value">{value}</dd>
      <dd className="tile-hint">{hint}</dd>
    </div>
  );
}
