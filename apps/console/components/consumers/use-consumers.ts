"use client";

import type { ApiKeyCreate, Consumer, ConsumerCreate } from "@gatehouse/shared";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { endpoints, type ListParams, type Page, queryKeys } from "@/lib/endpoints.ts";
import { LIVE_REFRESH_MS } from "../analytics/traffic-window.ts";

const LISTS = ["consumers", "list"] as const;

export function useConsumerList(params: ListParams) {
  return useQuery({
    queryKey: queryKeys.consumerList(params),
    queryFn: async () => (await endpoints.consumers.list(params)).data,
    placeholderData: keepPreviousData,
  });
}

export function useConsumer(id: string) {
  return useQuery({
    queryKey: queryKeys.consumer(id),
    queryFn: async () => (await endpoints.consumers.get(id)).data,
  });
}

export function useCreateConsumer() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: ConsumerCreate) => endpoints.consumers.create(input),
    onSuccess: ({ data }) => {
      queryClient.setQueryData<Consumer>(queryKeys.consumer(data.id), data);
      void queryClient.invalidateQueries({ queryKey: LISTS });
    },
  });
}

export function useUpdateConsumer(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (patch: Partial<ConsumerCreate>) => endpoints.consumers.update(id, patch),
    onSuccess: ({ data }) => {
      queryClient.setQueryData<Consumer>(queryKeys.consumer(id), data);
      void queryClient.invalidateQueries({ queryKey: LISTS });
    },
  });
}

export function useDeleteConsumer(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => endpoints.consumers.remove(id),
    onSuccess: () => {
      queryClient.removeQueries({ queryKey: queryKeys.consumer(id) });
      queryClient.removeQueries({ queryKey: queryKeys.keys(id) });
      // The list page shows its cached rows before the refetch lands; the deleted one must not flash back.
      queryClient.setQueriesData<Page<Consumer>>({ queryKey: LISTS }, (page) => {
        if (!page) return page;
        const data = page.data.filter((c) => c.id !== id);
        return { ...page, data, total: page.total - (page.data.length - data.length) };
      });
      void queryClient.invalidateQueries({ queryKey: LISTS });
    },
  });
}

export function useKeys(consumerId: string) {
  return useQuery({
    queryKey: queryKeys.keys(consumerId),
    queryFn: async () => (await endpoints.keys.list(consumerId)).data.data,
    // The gateway stores a key's last use once a second; read it as often as the live traffic
    // beside it, so a call shows in "Last used" as soon as it shows in the charts.
    refetchInterval: LIVE_REFRESH_MS,
  });
}

/** Issue, revoke and rotate; each refetches the key list, since rotation changes two keys at once. */
export function useKeyMutations(consumerId: string) {
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries({ queryKey: queryKeys.keys(consumerId) });
  const issue = useMutation({
    mutationFn: (input: ApiKeyCreate) => endpoints.keys.issue(consumerId, input),
    onSettled: refresh,
  });
  const revoke = useMutation({
    mutationFn: (keyId: string) => endpoints.keys.revoke(consumerId, keyId),
    onSettled: refresh,
  });
  const rotate = useMutation({
    mutationFn: ({ keyId, gracePeriodSeconds }: { keyId: string; gracePeriodSeconds: number }) =>
      endpoints.keys.rotate(consumerId, keyId, gracePeriodSeconds),
    onSettled: refresh,
  });
  return { issue, revoke, rotate };
}
