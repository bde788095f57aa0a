"use client";

import type { ApiDetail, Policy } from "@gatehouse/shared";
import { ChartFrame } from "../analytics/chart-frame.tsx";
import { Section } from "../ui/section.tsx";
import { useUpstream } from "../upstreams/use-upstreams.ts";
import { CanarySlider } from "./canary-slider.tsx";
import { type ComparedPool, PoolComparisonChart } from "./pool-comparison-chart.tsx";
import { PoolTotals } from "./pool-totals.tsx";
import { POOLS_SPAN_MS, usePools } from "./use-pools.ts";

/** A traffic-split policy's share of the API's requests, and its canary pool held against the main pool. */
export function CanaryPanel({ api, policy }: { api: ApiDetail; policy: Policy }) {
  const canaryId = String(policy.config.upstreamId);
  const canary = useUpstream(canaryId);
  const pools = usePools(api.id);
  const seriesOf = (id: string) => pools.data?.pools.find((series) => series.upstreamId === id);
  const mainId = api.upstreamId;
  const compared: ComparedPool[] = [
    { upstreamId: mainId, label: `main (${api.upstream?.name ?? mainId})`, series: seriesOf(mainId) },
    { upstreamId: canaryId, label: `canary (${canary.data?.name ?? canaryId})`, series: seriesOf(canaryId) },
  ];
  const domain: [number, number] = pools.data
    ? [pools.data.from, pools.data.to]
    : [Date.now() - POOLS_SPAN_MS, Date.now()];
  const frame = {
    pending: pools.isPending,
    error: pools.error,
    onRetry: () => void pools.refetch(),
    empty: compared.every((pool) => pool.series === undefined),
    emptyTitle: "No traffic to either pool in the last 15 minutes",
  };
  return (
    <Section
      title="Canary"
      description={`A share of this API’s requests goes to the pool ${canary.data?.name ?? canaryId}${policy.enabled ? "" : " (the policy is off)"}.`}
    >
      <CanarySlider policyId={policy.id} percent={Number(policy.config.percent)} />
      <div className="grid-2">
        <div>
          <h3>5xx rate</h3>
          <ChartFrame label="5xx rate of the main pool and the canary, last 15 minutes" {...frame}>
            <PoolComparisonChart pools={compared} metric="errorRate" domain={domain} />
          </ChartFrame>
        </div>
        <div>
          <h3>p95 latency</h3>
          <ChartFrame label="p95 latency of the main pool and the canary, last 15 minutes" {...frame}>
            <PoolComparisonChart pools={compared} metric="p95" domain={domain} />
          </ChartFrame>
        </div>
      </div>
      <PoolTotals pools={compared} />
    </Section>
  );
}
