"use client";

import type { ConfigApplyRequest } from "@gatehouse/shared";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { endpoints } from "@/lib/endpoints.ts";
import { refreshConfig } from "@/lib/refresh-config.ts";

/** What applying a file would change; changes nothing. */
export function useConfigDiff() {
  return useMutation({ mutationFn: async (input: ConfigApplyRequest) => (await endpoints.config.diff(input)).data });
}

/** Applies a file against the revision it was previewed at; a change made since is refused (412), not overwritten. */
export function useConfigApply() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ input, previewedAt }: { input: ConfigApplyRequest; previewedAt: number }) =>
      (await endpoints.config.apply(input, { ifMatch: previewedAt })).data,
    onSuccess: () => refreshConfig(queryClient),
  });
}
