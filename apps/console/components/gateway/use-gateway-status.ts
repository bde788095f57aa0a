"use client";

import { useQuery } from "@tanstack/react-query";
import { endpoints, queryKeys } from "@/lib/endpoints.ts";

export const fetchGatewayStatus = async () => (await endpoints.gateway.status()).data;

/** What the gateway serves, polled; every caller shares one cache entry. */
export function useGatewayStatus(intervalMs = 2_000) {
  return useQuery({
    queryKey: queryKeys.gatewayStatus,
    queryFn: fetchGatewayStatus,
    refetchInterval: intervalMs,
    refetchIntervalInBackground: false,
    staleTime: 0,
    retry: false,
  });
}
