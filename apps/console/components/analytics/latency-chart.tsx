"use client";

import type { TimeseriesPoint } from "@gatehouse/shared";
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
} from "./chart-style.ts";
import { formatMs } from "./format.ts";

const LINES = [
  { key: "p50", name: "p50", colour: SERIES.p50 },
  { key: "p95", name: "p95", colour: SERIES.p95 },
  { key: "p99", name: "p99", colour: SERIES.p99 },
] as const;

/** Below this many buckets with traffic, each one gets a dot: a lone bucket draws no line. */
const SPARSE = 20;

/** p50, p95 and p99 per bucket; idle buckets have no latency and the lines join across them. */
export function LatencyChart({ points, domain }: { points: TimeseriesPoint[]; domain: [number, number] }) {
  const sparse = points.filter((point) => point.p50 !== null).length < SPARSE;
  return (
    <LineChart data={points} responsive style={CHART_STYLE} margin={CHART_MARGIN} accessibilityLayer={false}>
      <CartesianGrid {...gridProps} />
      <XAxis {...timeAxisProps(domain)} />
      <YAxis {...valueAxisProps(formatMs)} />
      <Tooltip {...tooltipProps} formatter={(value) => formatMs(Number(value))} />
      <Legend {...legendProps} />
      {LINES.map((line) => (
        <Line
          key={line.key}
          dataKey={line.key}
          name={line.name}
          type="monotone"
          stroke={line.colour}
          strokeWidth={1.5}
          dot={sparse ? { r: 2.5, fill: line.colour } : false}
          connectNulls
          isAnimationActive={false}
        />
      ))}
    </LineChart>
  );
}
