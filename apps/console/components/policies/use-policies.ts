"use client";

import { findPolicySchema } from "@gatehouse/policies/schemas";
import type { PolicyCreate } from "@gatehouse/shared";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { endpoints, type PolicyPatch, queryKeys } from "@/lib/endpoints.ts";

/** Every policy, filtered in the browser: an API's page also shows its routes' policies. */
export function usePolicies() {
  return useQuery({
    queryKey: queryKeys.policyList({}),
    queryFn: async () => (await endpoints.policies.list({})).data.data,
  });
}

export { findPolicySchema };

export function usePolicyMutations(onSaved: (revision: number | null) => void) {
  const queryClient = useQueryClient();
  const options = {
    onSuccess: ({ revision }: { revision: number | null }) => onSaved(revision),
    onSettled: () => queryClient.invalidateQueries({ queryKey: queryKeys.policies }),
  };
  return {
    create: useMutation({ mutationFn: (input: PolicyCreate) => endpoints.policies.create(input), ...options }),
    update: useMutation({
      mutationFn: ({ id, patch }: { id: string; patch: PolicyPatch }) => endpoints.policies.update(id, patch),
      ...options,
    }),
    remove: useMutation({ mutationFn: (id: string) => endpoints.policies.remove(id), ...options }),
  };
}
