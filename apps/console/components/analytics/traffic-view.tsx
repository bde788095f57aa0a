"use client";

import { ANALYTICS_STEPS, type AnalyticsRange, type TimeseriesPoint } from "@gatehouse/shared";
import type { TrafficFilter } from "@/lib/endpoints.ts";
import { TrafficPanels, type TrafficSeries } from "./traffic-panels.tsx";
import { LIVE_SPAN_MS, RANGE_LABELS, type TrafficWindow } from "./traffic-window.ts";
import { useTimeseries } from "./use-analytics.ts";
import { type LiveState, useLivePoints } from "./use-live-points.ts";

/** Tiles and charts of the traffic a filter selects, over a range or live. */
export function TrafficView({ filter, shown }: { filter: TrafficFilter; shown: TrafficWindow }) {
  return shown.live ? <LiveTraffic filter={filter} /> : <RangeTraffic filter={filter} range={shown.range} />;
}

function RangeTraffic({ filter, range }: { filter: TrafficFilter; range: AnalyticsRange }) {
  const query = useTimeseries(filter, range);
  const data = query.data;
  const series: TrafficSeries | undefined = data && {
    points: data.points,
    domain: [data.from, data.to - ANALYTICS_STEPS[data.step] * 1000],
    step: data.step,
    totals: data.total,
    seconds: (data.to - data.from) / 1000,
  };
  return (
    <TrafficPanels
      query={query}
      series={series}
      span={`the last ${RANGE_LABELS[range]}`}
      emptyTitle="No traffic in this range"
    />
  );
}

function LiveTraffic({ filter }: { filter: TrafficFilter }) {
  const { history, points, state } = useLivePoints(filter);
  const latest = points.at(-1);
  const newest = latest?.t ?? Date.now();
  const series: TrafficSeries | undefined = history.data && {
    points,
    domain: [newest - LIVE_SPAN_MS + 1000, newest],
    step: "1s",
    totals: sum(points),
    seconds: LIVE_SPAN_MS / 1000,
    latest,
  };
  return (
    <TrafficPanels
      query={history}
      series={series}
      span="the last 5 minutes"
      emptyTitle="No traffic in the last 5 minutes"
      status={<LiveHint state={state} />}
    />
  );
}

function sum(points: TimeseriesPoint[]): TrafficSeries["totals"] {
  const totals = { requests: 0, errors4xx: 0, errors5xx: 0, p50: null, p95: null, p99: null };
  for (const point of points) {
    totals.requests += point.requests;
    totals.errors4xx += point.errors4xx;
    totals.errors5xx += point.errors5xx;
  }
  return totals;
}

const LIVE_TEXT: Record<LiveState, { tone: string; text: string }> = {
  connecting: { tone: "saving", text: "Connecting…" },
  live: { tone: "live", text: "Live" },
  paused: { tone: "warning", text: "Live paused, reconnecting…" },
};

function LiveHint({ state }: { state: LiveState }) {
  const { tone, text } = LIVE_TEXT[state];
  return (
    <span className={`live-status ${tone}`} role="status">
      {state === "live" ? <span className="dot dot-live" aria-hidden="true" /> : null}
      {text}
    </span>
  );
}
