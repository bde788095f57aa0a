"use client";

import type { TimeseriesPoint } from "@gatehouse/shared";
import { Area, CartesianGrid, ComposedChart, Legend, Line, Tooltip, XAxis, YAxis } from "recharts";
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
import { formatCount } from "./format.ts";

const ERRORS = [
  { key: "errors4xx", name: "4xx", colour: SERIES.errors4xx },
  { key: "errors5xx", name: "5xx", colour: SERIES.errors5xx },
] as const;

/**
 * All requests as an area and each error class as a line from zero: stacked areas drew the
 * total's edge in the colour of the topmost class, so a few 5xx looked like an outage.
 */
export function TrafficChart({ points, domain }: { points: TimeseriesPoint[]; domain: [number, number] }) {
  return (
    <ComposedChart data={points} responsive style={CHART_STYLE} margin={CHART_MARGIN} accessibilityLayer={false}>
      <CartesianGrid {...gridProps} />
      <XAxis {...timeAxisProps(domain)} />
      <YAxis {...valueAxisProps(formatCount)} allowDecimals={false} />
      <Tooltip {...tooltipProps} formatter={(value) => formatCount(Number(value))} />
      <Legend {...legendProps} />
      <Area
        dataKey="requests"
        name="Requests"
        type="monotone"
        stroke={SERIES.requests}
        fill={SERIES.requests}
        fillOpacity={0.15}
        strokeWidth={1.5}
        isAnimationActive={false}
      />
      {ERRORS.map((line) => (
        <Line
          key={line.key}
          dataKey={line.key}
          name={line.name}
          type="monotone"
          stroke={line.colour}
          strokeWidth={1.5}
          dot={false}
          isAnimationActive={false}
        />
      ))}
    </ComposedChart>
  );
}
