"use client";

import type { PoolSeries } from "@gatehouse/shared";
import { CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from "recharts";
import {
  CHART_MARGIN,
  CHART_STYLE,
  gridProps,
  legendProps,
  SERIES,
  timeAxisProps,
  tooltipProps,
  valueAxisProps,
} from "../analytics/chart-style.ts";
import { formatMs } from "../analytics/format.ts";

/** A pool the chart draws: its series (absent before it served any request), its label and colour. */
export interface ComparedPool {
  upstreamId: string;
  label: string;
  series: PoolSeries | undefined;
}

const COLOURS = [SERIES.requests, SERIES.errors5xx];

/** Without errors the rate axis still spans 0–5%, not a range Recharts makes up around zero. */
const RATE_DOMAIN: [number, (dataMax: number) => number] = [0, (dataMax) => Math.max(dataMax, 0.05)];

const percentOf = (rate: number) => `${Number((rate * 100).toFixed(rate < 0.1 ? 1 : 0))}%`;

/** One row per bucket with each pool's value under its own key, as Recharts draws a line per key. */
function rows(pools: ComparedPool[], metric: "errorRate" | "p95") {
  const byT = new Map<number, Record<string, number | null>>();
  for (const pool of pools) {
    for (const point of pool.series?.points ?? []) {
      let row = byT.get(point.t);
      if (row === undefined) {
        row = { t: point.t };
        byT.set(point.t, row);
      }
      row[pool.upstreamId] = point[metric];
    }
  }
  return [...byT.values()];
}

interface ChartProps {
  pools: ComparedPool[];
  metric: "errorRate" | "p95";
  domain: [number, number];
}

/** The main pool's and the canary's 5xx rate or p95 per bucket, one line each; idle buckets leave gaps joined over. */
export function PoolComparisonChart({ pools, metric, domain }: ChartProps) {
  const format = metric === "p95" ? formatMs : percentOf;
  return (
    <LineChart
      data={rows(pools, metric)}
      responsive
      style={CHART_STYLE}
      margin={CHART_MARGIN}
      accessibilityLayer={false}
    >
      <CartesianGrid {...gridProps} />
      <XAxis {...timeAxisProps(domain)} />
      <YAxis {...valueAxisProps(format)} {...(metric === "errorRate" ? { domain: RATE_DOMAIN } : {})} />
      <Tooltip {...tooltipProps} formatter={(value) => format(Number(value))} />
      <Legend {...legendProps} />
      {pools.map((pool, i) => (
        <Line
          key={pool.upstreamId}
          dataKey={pool.upstreamId}
          name={pool.label}
          type="monotone"
          stroke={COLOURS[i % COLOURS.length]}
          strokeWidth={1.5}
          dot={{ r: 2, fill: COLOURS[i % COLOURS.length] }}
          connectNulls
          isAnimationActive={false}
        />
      ))}
    </LineChart>
  );
}
