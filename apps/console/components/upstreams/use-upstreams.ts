"use client";

import type { TargetInput, Upstream, UpstreamCreate, UpstreamPatch } from "@gatehouse/shared";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { endpoints, type ListParams, queryKeys } from "@/lib/endpoints.ts";

type OnSaved = (revision: number | null) => void;

export function useUpstreamList(params: ListParams) {
  return useQuery({
    queryKey: queryKeys.upstreamList(params),
    queryFn: async () => (await endpoints.upstreams.list(params)).data,
    placeholderData: keepPreviousData,
  });
}

/** The Admin API lists at most 200 per page; a console with more pools filters by name on the Upstreams page. */
const ALL_POOLS = { limit: 200 };

/** Every pool, for a pick of one or to name one by its id. */
export function useAllUpstreams() {
  return useUpstreamList(ALL_POOLS);
}

export function useUpstream(id: string) {
  return useQuery({ queryKey: queryKeys.upstream(id), queryFn: async () => (await endpoints.upstreams.get(id)).data });
}

/** Upstreams show inside APIs too, so a change refreshes both. */
function useRefresh() {
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: queryKeys.upstreams }),
      queryClient.invalidateQueries({ queryKey: queryKeys.apis }),
    ]);
}

export function useCreateUpstream() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: UpstreamCreate) => endpoints.upstreams.create(input),
    onSuccess: ({ data }) => {
      queryClient.setQueryData<Upstream>(queryKeys.upstream(data.id), data);
      void queryClient.invalidateQueries({ queryKey: queryKeys.upstreams });
    },
  });
}

export function useUpdateUpstream(id: string, onSaved?: OnSaved) {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: (patch: UpstreamPatch) => endpoints.upstreams.update(id, patch),
    onSuccess: ({ revision }) => onSaved?.(revision),
    onSettled: refresh,
  });
}

export function useDeleteUpstream(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => endpoints.upstreams.remove(id),
    onSuccess: () => {
      queryClient.removeQueries({ queryKey: queryKeys.upstream(id) });
      void queryClient.invalidateQueries({ queryKey: queryKeys.upstreams });
    },
  });
}

export function useTargetMutations(upstreamId: string, onSaved?: OnSaved) {
  const refresh = useRefresh();
  const options = { onSuccess: ({ revision }: { revision: number | null }) => onSaved?.(revision), onSettled: refresh };
  return {
    create: useMutation({
      mutationFn: (input: TargetInput) => endpoints.targets.create(upstreamId, input),
      ...options,
    }),
    update: useMutation({
      mutationFn: ({ id, patch }: { id: string; patch: Partial<TargetInput> }) =>
        endpoints.targets.update(upstreamId, id, patch),
      ...options,
    }),
    remove: useMutation({ mutationFn: (id: string) => endpoints.targets.remove(upstreamId, id), ...options }),
  };
}

/** Target health changes by the second; poll while the page is open. */
export function useUpstreamHealth(id: string) {
  return useQuery({
    queryKey: queryKeys.upstreamHealth(id),
    queryFn: async () => (await endpoints.upstreams.health(id)).data,
    refetchInterval: 1000,
  });
}
