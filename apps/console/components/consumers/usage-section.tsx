"use client";

import { useState } from "react";
import { endpoints } from "@/lib/endpoints.ts";
import { ChartFrame, NoTraffic } from "../analytics/chart-frame.tsx";
import { DailyChart, dailyTotals } from "../analytics/daily-chart.tsx";
import { RangePicker } from "../analytics/range-picker.tsx";
import { TrafficView } from "../analytics/traffic-view.tsx";
import { DEFAULT_WINDOW, RANGE_LABELS } from "../analytics/traffic-window.ts";
import { useUsage } from "../analytics/use-analytics.ts";
import { Section } from "../ui/section.tsx";
import { ErrorState, LoadingState } from "../ui/states.tsx";
import { UsageByApi } from "./usage-by-api.tsx";

/** What a consumer used, by API and by day, with its errors and latency: what a bill and a support call need. */
export function UsageSection({ consumerId }: { consumerId: string }) {
  const [shown, setShown] = useState(DEFAULT_WINDOW);
  const usage = useUsage(consumerId, shown.range);
  const data = usage.data;

  return (
    <section className="usage" aria-labelledby="usage-heading">
      <div className="usage-header">
        <div>
          <h2 id="usage-heading">Usage</h2>
          <p className="hint">Requests by API are counted in whole hours and days in UTC, as in the export.</p>
        </div>
        <div className="row">
          <RangePicker value={shown} onChange={setShown} />
          {data ? (
            <a
              className="button button-small"
              href={endpoints.analytics.usageCsvUrl({ consumerId, from: data.from, to: data.to })}
              download
            >
              Export CSV
            </a>
          ) : null}
        </div>
      </div>
      <TrafficView filter={{ consumerId }} shown={shown} />
      <Section title="Usage by API" flush>
        {usage.isPending ? (
          <LoadingState label="Loading usage…" />
        ) : !data ? (
          <ErrorState title="Could not load usage" error={usage.error} onRetry={() => void usage.refetch()} />
        ) : data.byApi.length === 0 ? (
          <NoTraffic title={`No requests in the last ${RANGE_LABELS[shown.range]}`} />
        ) : (
          <UsageByApi rows={data.byApi} />
        )}
      </Section>
      <Section title="Requests per day" description="UTC days, summed over APIs">
        <ChartFrame
          label={`Requests per UTC day over the last ${RANGE_LABELS[shown.range]}`}
          pending={usage.isPending}
          error={data ? null : usage.error}
          onRetry={() => void usage.refetch()}
          empty={data !== undefined && data.byApi.length === 0}
        >
          {data ? <DailyChart days={dailyTotals(data)} /> : null}
        </ChartFrame>
      </Section>
    </section>
  );
}
