"use client";

import type { RouteInput } from "@gatehouse/shared";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { endpoints, queryKeys } from "@/lib/endpoints.ts";

export function useRouteMutations(apiId: string, onSaved: (revision: number | null) => void) {
  const queryClient = useQueryClient();
  const options = {
    onSuccess: ({ revision }: { revision: number | null }) => onSaved(revision),
    onSettled: () => queryClient.invalidateQueries({ queryKey: queryKeys.apis }),
  };
  return {
    create: useMutation({ mutationFn: (input: RouteInput) => endpoints.routes.create(apiId, input), ...options }),
    update: useMutation({
      mutationFn: ({ id, input }: { id: string; input: RouteInput }) => endpoints.routes.update(apiId, id, input),
      ...options,
    }),
    remove: useMutation({ mutationFn: (id: string) => endpoints.routes.remove(apiId, id), ...options }),
  };
}
