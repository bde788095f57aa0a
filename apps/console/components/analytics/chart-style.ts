import type { CSSProperties } from "react";
import { formatInstant, tickFormatter, timeTicks } from "./time-axis.ts";

/** Colours are CSS variables (globals.css), so a theme switch repaints the charts without a render. */
export const SERIES = {
  requests: "var(--chart-requests)",
  errors4xx: "var(--chart-4xx)",
  errors5xx: "var(--chart-5xx)",
  p50: "var(--chart-p50)",
  p95: "var(--chart-p95)",
  p99: "var(--chart-p99)",
};

export const CHART_STYLE: CSSProperties = { width: "100%", height: 220 };
export const CHART_MARGIN = { top: 8, right: 12, bottom: 0, left: 0 };

const tick = { fill: "var(--text-muted)", fontSize: 12 };

export const gridProps = { stroke: "var(--border)", vertical: false } as const;

/** An x axis over epoch milliseconds, ticked on round local times. */
export function timeAxisProps(domain: [number, number]) {
  return {
    dataKey: "t",
    type: "number" as const,
    domain,
    ticks: timeTicks(domain),
    tickFormatter: tickFormatter(domain),
    tick,
    stroke: "var(--border-strong)",
    allowDataOverflow: true,
  };
}

export function valueAxisProps(format: (value: number) => string) {
  return { tickFormatter: format, tick, width: 56, axisLine: false, tickLine: false };
}

export const tooltipProps = {
  contentStyle: {
    background: "var(--bg-raised)",
    border: "1px solid var(--border)",
    borderRadius: 6,
    boxShadow: "var(--shadow)",
    fontSize: 12.5,
  },
  labelStyle: { color: "var(--text)", marginBottom: 4 },
  cursor: { stroke: "var(--border-strong)" },
  labelFormatter: (t: unknown) => formatInstant(Number(t)),
  // Every item ties, so the stable sort keeps drawing order, as the legend does.
  itemSorter: () => 0,
  isAnimationActive: false,
};

export const legendProps = {
  // In drawing order (requests before errors, p50 before p99), not alphabetical.
  itemSorter: null,
  iconType: "circle" as const,
  iconSize: 8,
  wrapperStyle: { fontSize: 12.5, color: "var(--text-muted)" },
};
