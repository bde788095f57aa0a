"use client";

import type { PlanCreate } from "@gatehouse/shared";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { endpoints, queryKeys } from "@/lib/endpoints.ts";

export function usePlans() {
  return useQuery({ queryKey: queryKeys.plans, queryFn: async () => (await endpoints.plans.list()).data.data });
}

export function usePlanMutations() {
  const queryClient = useQueryClient();
  const options = { onSettled: () => queryClient.invalidateQueries({ queryKey: queryKeys.plans }) };
  return {
    create: useMutation({ mutationFn: (input: PlanCreate) => endpoints.plans.create(input), ...options }),
    update: useMutation({
      mutationFn: ({ id, input }: { id: string; input: PlanCreate }) => endpoints.plans.update(id, input),
      ...options,
    }),
    remove: useMutation({ mutationFn: (id: string) => endpoints.plans.remove(id), ...options }),
  };
}

/** `600/minute, 10000/day`, or a dash. */
export function describeCounts(counts: Partial<Record<string, number>>, per = "/"): string {
  const parts = Object.entries(counts)
    .filter(([, value]) => value !== undefined)
    .map(([window, value]) => `${(value as number).toLocaleString()}${per}${window}`);
  return parts.length > 0 ? parts.join(", ") : "—";
}
