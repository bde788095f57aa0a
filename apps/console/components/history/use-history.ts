"use client";

import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { endpoints, queryKeys, type RevisionListParams } from "@/lib/endpoints.ts";
import { refreshConfig } from "@/lib/refresh-config.ts";

const PAGE_SIZE = 50;

export type RevisionFilter = Pick<RevisionListParams, "objectId" | "kind">;

/** Revisions newest first; each further page is the one below the last revision shown. */
export function useRevisions(filter: RevisionFilter) {
  return useInfiniteQuery({
    queryKey: queryKeys.revisionList({ ...filter, limit: PAGE_SIZE }),
    initialPageParam: undefined as number | undefined,
    queryFn: async ({ pageParam }) =>
      (await endpoints.revisions.list({ ...filter, limit: PAGE_SIZE, before: pageParam })).data,
    getNextPageParam: (last) => (last.data.length < PAGE_SIZE ? undefined : last.data.at(-1)?.revision),
  });
}

/** The oldest revision a rollback can go back to; the list answers it with any page. */
export function useHistoryStart() {
  return useQuery({
    queryKey: queryKeys.revisionList({ limit: 1 }),
    queryFn: async () => (await endpoints.revisions.list({ limit: 1 })).data.historyStart,
  });
}

export function useRevision(revision: number) {
  return useQuery({
    queryKey: queryKeys.revision(revision),
    queryFn: async () => (await endpoints.revisions.get(revision)).data,
    enabled: Number.isInteger(revision) && revision > 0,
  });
}

/** What rolling back to a revision would change, asked each time the dialog opens: the config may have moved. */
export function useRollbackPreview(revision: number) {
  return useMutation({ mutationFn: async () => (await endpoints.revisions.rollback(revision, true)).data });
}

/** Rolls back against the revision the preview was made at, so a change made since is never overwritten unseen. */
export function useRollback(revision: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (previewedAt: number) =>
      (await endpoints.revisions.rollback(revision, false, { ifMatch: previewedAt })).data,
    onSuccess: () => refreshConfig(queryClient),
  });
}
