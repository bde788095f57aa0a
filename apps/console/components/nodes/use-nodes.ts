"use client";

import type { NodeTokenCreate } from "@gatehouse/shared";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { endpoints, queryKeys } from "@/lib/endpoints.ts";
import { LIVE_REFRESH_MS } from "../analytics/traffic-window.ts";

/** The fleet and the console's revision, read as often as the live charts: nodes report every second. */
export function useNodes() {
  return useQuery({
    queryKey: queryKeys.nodes,
    queryFn: async () => (await endpoints.nodes.list()).data,
    refetchInterval: LIVE_REFRESH_MS,
  });
}

export function useNodeTokens() {
  return useQuery({
    queryKey: queryKeys.nodeTokens,
    queryFn: async () => (await endpoints.nodes.tokens()).data.data,
  });
}

export function useNodeTokenMutations() {
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries({ queryKey: queryKeys.nodeTokens });
  const create = useMutation({
    mutationFn: (input: NodeTokenCreate) => endpoints.nodes.createToken(input),
    onSettled: refresh,
  });
  const revoke = useMutation({
    mutationFn: (id: string) => endpoints.nodes.revokeToken(id),
    onSettled: refresh,
  });
  return { create, revoke };
}
