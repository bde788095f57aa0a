"use client";

import type { AnalyticsStep, TimeseriesPoint, TrafficTotals } from "@gatehouse/shared";
import type { ReactNode } from "react";
import { Section } from "../ui/section.tsx";
import { ChartFrame } from "./chart-frame.tsx";
import { formatCount, formatMs } from "./format.ts";
import { LatencyChart } from "./latency-chart.tsx";
import { StatTiles } from "./stat-tiles.tsx";
import { TrafficChart } from "./traffic-chart.tsx";
import { STEP_LABELS } from "./traffic-window.ts";

export interface TrafficSeries {
  points: TimeseriesPoint[];
  domain: [number, number];
  step: AnalyticsStep;
  totals: Pick<TrafficTotals, "requests" | "errors4xx" | "errors5xx" | "p50" | "p95" | "p99">;
  seconds: number;
  latest?: TimeseriesPoint | undefined;
}

interface TrafficPanelsProps {
  query: { isPending: boolean; error: unknown; refetch: () => unknown };
  series: TrafficSeries | undefined;
  /** "the last hour" */
  span: string;
  emptyTitle: string;
  /** Beside the requests chart's title: whether the live view is following. */
  status?: ReactNode;
}

/** Tiles, then requests and latency over time: the same on the overview, an API and a consumer. */
export function TrafficPanels({ query, series, span, emptyTitle, status }: TrafficPanelsProps) {
  const per = series ? STEP_LABELS[series.step] : "";
  const frame = {
    pending: query.isPending,
    // A failed background refresh keeps the last good chart on screen.
    error: series ? null : query.error,
    onRetry: () => void query.refetch(),
    empty: series !== undefined && series.totals.requests === 0,
    emptyTitle,
  };
  return (
    <>
      {series ? <StatTiles totals={series.totals} seconds={series.seconds} span={span} latest={series.latest} /> : null}
      <div className="chart-grid">
        <Section
          title="Requests"
          description={series ? `Per ${per}: all requests, 4xx and 5xx` : undefined}
          actions={status}
        >
          <ChartFrame
            label={
              series
                ? `Requests per ${per} over ${span}: ${formatCount(series.totals.requests)} in all, ${formatCount(series.totals.errors4xx)} 4xx, ${formatCount(series.totals.errors5xx)} 5xx`
                : "Requests"
            }
            {...frame}
          >
            {series ? <TrafficChart points={series.points} domain={series.domain} /> : null}
          </ChartFrame>
        </Section>
        <Section title="Latency" description={series ? `p50, p95 and p99 per ${per}` : undefined}>
          <ChartFrame
            label={series ? `Latency per ${per} over ${span}: ${latencySummary(series)}` : "Latency"}
            {...frame}
          >
            {series ? <LatencyChart points={series.points} domain={series.domain} /> : null}
          </ChartFrame>
        </Section>
      </div>
    </>
  );
}

function latencySummary({ latest, totals }: TrafficSeries): string {
  const { p50, p95, p99 } = latest ?? totals;
  return `p50 ${formatMs(p50)}, p95 ${formatMs(p95)}, p99 ${formatMs(p99)}${latest ? " in the last second" : ""}`;
}
