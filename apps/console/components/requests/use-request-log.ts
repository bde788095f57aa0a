"use client";

import type { RequestLogQuery } from "@gatehouse/shared";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { endpoints, queryKeys } from "@/lib/endpoints.ts";

const TAIL_MS = 1000;

/** The gateway's last requests, read again every second unless paused. */
export function useRequestLog(params: Partial<RequestLogQuery>, paused: boolean) {
  return useQuery({
    queryKey: queryKeys.requestLog(params),
    queryFn: async () => (await endpoints.analytics.requests(params)).data,
    refetchInterval: paused ? false : TAIL_MS,
    staleTime: 0,
    // A new filter keeps the old rows on screen until its own arrive, instead of flashing a spinner.
    placeholderData: keepPreviousData,
  });
}
