"use client";

import type { AuthStatus } from "@gatehouse/shared";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { endpoints, queryKeys } from "@/lib/endpoints.ts";
import { useAuthStatus } from "./use-auth.ts";

/** Only while signed in: once this session is revoked the list is not asked for again. */
export function useSessions() {
  const signedIn = Boolean(useAuthStatus().data?.admin);
  return useQuery({
    queryKey: queryKeys.sessions,
    queryFn: async () => (await endpoints.auth.sessions()).data.data,
    enabled: signedIn,
  });
}

/** Revokes a session; revoking the current one signs out, so it ends like a sign-out. */
export function useRevokeSession() {
  const queryClient = useQueryClient();
  const router = useRouter();
  return useMutation({
    mutationFn: ({ id }: { id: string; current: boolean }) => endpoints.auth.revokeSession(id),
    onSuccess: (_result, { current }) => {
      if (!current) return queryClient.invalidateQueries({ queryKey: queryKeys.sessions });
      queryClient.clear();
      queryClient.setQueryData<AuthStatus>(queryKeys.authStatus, { setupRequired: false, admin: null });
      router.replace("/login");
    },
  });
}
