"use client";

import type { AnalyticsRange, TopQuery } from "@gatehouse/shared";
import { useQuery } from "@tanstack/react-query";
import { endpoints, queryKeys, type TrafficFilter } from "@/lib/endpoints.ts";
import {
  LIVE_REFRESH_MS,
  LIVE_SPAN_MS,
  RANGE_REFRESH_MS,
  RANGE_STEPS,
  rangeBounds,
  type TrafficWindow,
  windowKey,
} from "./traffic-window.ts";

const TOP_LIMIT = 10;

export function useTimeseries(filter: TrafficFilter, range: AnalyticsRange) {
  return useQuery({
    queryKey: queryKeys.timeseries(filter, range),
    queryFn: async () =>
      (await endpoints.analytics.timeseries({ ...filter, ...rangeBounds(range), step: RANGE_STEPS[range] })).data,
    refetchInterval: RANGE_REFRESH_MS[range],
  });
}

/** The busiest APIs or consumers; live, over the last five minutes, as the charts beside them. */
export function useTop(by: TopQuery["by"], filter: TrafficFilter, shown: TrafficWindow) {
  return useQuery({
    queryKey: queryKeys.top(by, filter, windowKey(shown)),
    queryFn: async () => {
      const bounds = shown.live ? { from: Date.now() - LIVE_SPAN_MS } : rangeBounds(shown.range);
      return (await endpoints.analytics.top({ by, ...filter, ...bounds, limit: TOP_LIMIT })).data;
    },
    refetchInterval: shown.live ? LIVE_REFRESH_MS : RANGE_REFRESH_MS[shown.range],
  });
}

export function useUsage(consumerId: string, range: AnalyticsRange) {
  return useQuery({
    queryKey: queryKeys.usage(consumerId, range),
    queryFn: async () => (await endpoints.analytics.usage({ consumerId, ...rangeBounds(range) })).data,
    refetchInterval: RANGE_REFRESH_MS[range],
  });
}

/** Requests by status code and refusal code over the window; the live window is its last five minutes. */
export function useCodes(apiId: string | undefined, shown: TrafficWindow) {
  return useQuery({
    queryKey: queryKeys.codes(apiId, windowKey(shown)),
    queryFn: async () => {
      const bounds = shown.live ? { from: Date.now() - LIVE_SPAN_MS } : rangeBounds(shown.range);
      return (await endpoints.analytics.codes({ apiId, ...bounds })).data;
    },
    refetchInterval: shown.live ? LIVE_REFRESH_MS : RANGE_REFRESH_MS[shown.range],
  });
}
