"use client";

import type { ApiCreate, ApiDetail, ApiPatch, OpenApiAttach, OpenApiImport } from "@gatehouse/shared";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type ApiListParams, endpoints, type Page, queryKeys } from "@/lib/endpoints.ts";

const LISTS = ["apis", "list"] as const;

export function useApiList(params: ApiListParams) {
  return useQuery({
    queryKey: queryKeys.apiList(params),
    queryFn: async () => (await endpoints.apis.list(params)).data,
    placeholderData: keepPreviousData,
  });
}

export function useApi(id: string) {
  return useQuery({ queryKey: queryKeys.api(id), queryFn: async () => (await endpoints.apis.get(id)).data });
}

type Snapshot = { lists: [readonly unknown[], Page<ApiDetail> | undefined][]; detail: ApiDetail | undefined };

/** Flips `enabled` in every cached copy at once, and puts them back if the save fails. */
export function useToggleApi(onSaved: (revision: number | null) => void) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, enabled }: { id: string; enabled: boolean }) => endpoints.apis.update(id, { enabled }),
    onMutate: async ({ id, enabled }): Promise<Snapshot> => {
      await queryClient.cancelQueries({ queryKey: queryKeys.apis });
      const snapshot: Snapshot = {
        lists: queryClient.getQueriesData<Page<ApiDetail>>({ queryKey: LISTS }),
        detail: queryClient.getQueryData<ApiDetail>(queryKeys.api(id)),
      };
      queryClient.setQueriesData<Page<ApiDetail>>({ queryKey: LISTS }, (page) =>
        page ? { ...page, data: page.data.map((api) => (api.id === id ? { ...api, enabled } : api)) } : page,
      );
      queryClient.setQueryData<ApiDetail>(queryKeys.api(id), (api) => (api ? { ...api, enabled } : api));
      return snapshot;
    },
    onError: (_error, { id }, snapshot) => {
      if (!snapshot) return;
      for (const [key, page] of snapshot.lists) queryClient.setQueryData(key, page);
      queryClient.setQueryData(queryKeys.api(id), snapshot.detail);
    },
    onSuccess: ({ data, revision }) => {
      queryClient.setQueryData(queryKeys.api(data.id), data);
      onSaved(revision);
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: queryKeys.apis }),
  });
}

export function useCreateApi() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: ApiCreate) => endpoints.apis.create(input),
    onSuccess: ({ data }) => {
      queryClient.setQueryData(queryKeys.api(data.id), data);
      void queryClient.invalidateQueries({ queryKey: LISTS });
      void queryClient.invalidateQueries({ queryKey: queryKeys.upstreams });
    },
  });
}

export function useUpdateApi(id: string, onSaved?: (revision: number | null) => void) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (patch: ApiPatch) => endpoints.apis.update(id, patch),
    onSuccess: ({ data, revision }) => {
      queryClient.setQueryData(queryKeys.api(id), data);
      void queryClient.invalidateQueries({ queryKey: LISTS });
      onSaved?.(revision);
    },
  });
}

export function useDeleteApi(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => endpoints.apis.remove(id),
    onSuccess: () => {
      queryClient.removeQueries({ queryKey: queryKeys.api(id) });
      void queryClient.invalidateQueries({ queryKey: LISTS });
    },
  });
}

/** Purges every cached answer of the API; the gateways drop them once they serve the purge's revision. */
export function usePurgeCache(id: string, onPurged: (revision: number) => void) {
  return useMutation({
    mutationFn: () => endpoints.apis.purgeCache(id),
    onSuccess: ({ data }) => onPurged(data.revision),
  });
}

/** Previews (dry run) or attaches request validation from an OpenAPI document; attaching refreshes the policies. */
export function useAttachOpenApi(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: OpenApiAttach) => endpoints.apis.attachOpenApi(id, input),
    onSuccess: (_result, input) => {
      if (!input.dryRun) void queryClient.invalidateQueries({ queryKey: queryKeys.policies });
    },
  });
}

/** Previews (dry run) or imports an OpenAPI document as an API; an import can touch APIs, pools and policies. */
export function useImportOpenApi() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: OpenApiImport) => endpoints.apis.importOpenApi(input),
    onSuccess: (_result, input) => {
      if (input.dryRun) return;
      void queryClient.invalidateQueries({ queryKey: queryKeys.apis });
      void queryClient.invalidateQueries({ queryKey: queryKeys.upstreams });
      void queryClient.invalidateQueries({ queryKey: queryKeys.policies });
    },
  });
}
