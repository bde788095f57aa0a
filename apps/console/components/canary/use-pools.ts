"use client";

import { useQuery } from "@tanstack/react-query";
import { endpoints, queryKeys } from "@/lib/endpoints.ts";
import { LIVE_REFRESH_MS } from "../analytics/traffic-window.ts";

/** What the canary chart compares: the last 15 minutes, in 10-second steps. */
export const POOLS_SPAN_MS = 15 * 60_000;

/** An API's traffic per upstream pool and its cache hit ratio, refreshed as the live charts are. */
export function usePools(apiId: string) {
  return useQuery({
    queryKey: queryKeys.pools(apiId),
    queryFn: async () => (await endpoints.analytics.pools({ apiId, from: Date.now() - POOLS_SPAN_MS })).data,
    refetchInterval: LIVE_REFRESH_MS,
  });
}
