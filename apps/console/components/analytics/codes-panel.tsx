"use client";

import type { CodeCount, Codes } from "@gatehouse/shared";
import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from "recharts";
import { Section } from "../ui/section.tsx";
import { ErrorState, LoadingState } from "../ui/states.tsx";
import { ChartFrame, NoTraffic } from "./chart-frame.tsx";
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
import type { TrafficWindow } from "./traffic-window.ts";
import { useCodes } from "./use-analytics.ts";

/** The chart stacks this many codes; the table lists them all. */
const CHARTED = 8;

const CLASS_COLOURS: Record<number, string> = {
  2: SERIES.requests,
  3: SERIES.p50,
  4: SERIES.errors4xx,
  5: SERIES.errors5xx,
};

export const codeLabel = (code: CodeCount) => (code.refusal ? `${code.status} ${code.refusal}` : String(code.status));

/** Who answered: the gateway refused it itself, or the upstream's answer went through. */
const answeredBy = (code: CodeCount) =>
  code.refusal ? "the gateway" : code.status === 499 ? "client went away" : "upstream";

/** Requests by status code and by the gateway's refusal code, as a stacked chart and a table. */
export function CodesPanel({ apiId, shown }: { apiId: string | undefined; shown: TrafficWindow }) {
  const codes = useCodes(apiId, shown);
  const data = codes.data;
  const total = data ? data.codes.reduce((sum, code) => sum + code.requests, 0) : 0;
  return (
    <div className="chart-grid">
      <Section
        title="Status codes"
        description="Per status code, and per refusal code when the gateway answered itself"
      >
        <ChartFrame
          label={
            data
              ? `Requests by code: ${data.codes.map((code) => `${codeLabel(code)} ${code.requests}`).join(", ")}`
              : "Requests by code"
          }
          pending={codes.isPending}
          error={data ? null : codes.error}
          onRetry={() => void codes.refetch()}
          empty={data !== undefined && total === 0}
        >
          {data ? <CodesChart data={data} /> : null}
        </ChartFrame>
      </Section>
      <Section title="By code" flush>
        {codes.isPending ? (
          <LoadingState label="Loading…" />
        ) : !data ? (
          <ErrorState title="Could not load traffic" error={codes.error} onRetry={() => void codes.refetch()} />
        ) : total === 0 ? (
          <NoTraffic />
        ) : (
          <table className="table table-compact" aria-label="Requests by status code and refusal code">
            <thead>
              <tr>
                <th scope="col">Status</th>
                <th scope="col">Refusal code</th>
                <th scope="col">Answered by</th>
                <th scope="col" className="num">
                  Requests
                </th>
                <th scope="col" className="num">
                  Share
                </th>
              </tr>
            </thead>
            <tbody>
              {data.codes.map((code) => (
                <tr key={codeLabel(code)}>
                  <td>{code.status}</td>
                  <td>{code.refusal ? <code>{code.refusal}</code> : <span className="faint">—</span>}</td>
                  <td className="muted">{answeredBy(code)}</td>
                  <td className="num">{formatCount(code.requests)}</td>
                  <td className="num">{`${((code.requests / total) * 100).toFixed(1)}%`}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Section>
    </div>
  );
}

function CodesChart({ data }: { data: Codes }) {
  const charted = data.codes.slice(0, CHARTED);
  const rows = data.points.map((point) => {
    const row: Record<string, number> = { t: point.t };
    charted.forEach((code, i) => {
      row[codeLabel(code)] = point.requests[i] ?? 0;
    });
    return row;
  });
  const step = data.points.length > 1 ? (data.points[1]?.t ?? 0) - (data.points[0]?.t ?? 0) : 60_000;
  const domain: [number, number] = [data.from - step / 2, data.to - step / 2];
  const shade = new Map<number, number>();
  return (
    <BarChart data={rows} responsive style={CHART_STYLE} margin={CHART_MARGIN} accessibilityLayer={false}>
      <CartesianGrid {...gridProps} />
      <XAxis {...timeAxisProps(domain)} />
      <YAxis {...valueAxisProps(formatCount)} allowDecimals={false} />
      <Tooltip {...tooltipProps} formatter={(value) => formatCount(Number(value))} />
      <Legend {...legendProps} />
      {charted.map((code) => {
        const statusClass = Math.floor(code.status / 100);
        const nth = shade.get(statusClass) ?? 0;
        shade.set(statusClass, nth + 1);
        return (
          <Bar
            key={codeLabel(code)}
            dataKey={codeLabel(code)}
            stackId="codes"
            fill={CLASS_COLOURS[statusClass] ?? SERIES.p99}
            fillOpacity={Math.max(0.35, 1 - nth * 0.2)}
            isAnimationActive={false}
          />
        );
      })}
    </BarChart>
  );
}
