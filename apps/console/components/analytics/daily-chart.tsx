"use client";

import type { Usage } from "@gatehouse/shared";
import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from "recharts";
import {
  CHART_MARGIN,
  CHART_STYLE,
  gridProps,
  legendProps,
  SERIES,
  tooltipProps,
  valueAxisProps,
} from "./chart-style.ts";
import { formatCount } from "./format.ts";

const DAY_MS = 86_400_000;
const DAY_LABEL = new Intl.DateTimeFormat(undefined, { month: "short", day: "numeric", timeZone: "UTC" });

interface Day {
  day: string;
  ok: number;
  errors4xx: number;
  errors5xx: number;
}

/** One bar per UTC day of the usage's range, the days without traffic included, summed over APIs. */
export function dailyTotals(usage: Usage): Day[] {
  const days = new Map<string, Day>();
  for (let t = Math.floor(usage.from / DAY_MS) * DAY_MS; t < usage.to; t += DAY_MS) {
    const day = new Date(t).toISOString().slice(0, 10);
    days.set(day, { day, ok: 0, errors4xx: 0, errors5xx: 0 });
  }
  for (const row of usage.byDay) {
    const day = days.get(row.day ?? "");
    if (!day) continue;
    day.ok += row.requests - row.errors4xx - row.errors5xx;
    day.errors4xx += row.errors4xx;
    day.errors5xx += row.errors5xx;
  }
  return [...days.values()];
}

const BARS = [
  { key: "ok", name: "2xx–3xx", colour: SERIES.requests },
  { key: "errors4xx", name: "4xx", colour: SERIES.errors4xx },
  { key: "errors5xx", name: "5xx", colour: SERIES.errors5xx },
] as const;

/** Requests per UTC day (billing days), stacked by outcome. */
export function DailyChart({ days }: { days: Day[] }) {
  return (
    <BarChart data={days} responsive style={CHART_STYLE} margin={CHART_MARGIN} accessibilityLayer={false}>
      <CartesianGrid {...gridProps} />
      <XAxis
        dataKey="day"
        tickFormatter={(day: string) => DAY_LABEL.format(Date.parse(day))}
        tick={{ fill: "var(--text-muted)", fontSize: 12 }}
        stroke="var(--border-strong)"
        minTickGap={16}
      />
      <YAxis {...valueAxisProps(formatCount)} allowDecimals={false} />
      <Tooltip
        {...tooltipProps}
        cursor={{ fill: "var(--bg-hover)" }}
        labelFormatter={(day) => `${DAY_LABEL.format(Date.parse(String(day)))} (UTC)`}
        formatter={(value) => formatCount(Number(value))}
      />
      <Legend {...legendProps} />
      {BARS.map((bar) => (
        <Bar
          key={bar.key}
          dataKey={bar.key}
          name={bar.name}
          stackId="requests"
          fill={bar.colour}
          maxBarSize={48}
          isAnimationActive={false}
        />
      ))}
    </BarChart>
  );
}
