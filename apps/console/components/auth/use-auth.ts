"use client";

import type { AuthStatus } from "@gatehouse/shared";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { endpoints, queryKeys } from "@/lib/endpoints.ts";

export function useAuthStatus() {
  return useQuery({
    queryKey: queryKeys.authStatus,
    queryFn: async () => (await endpoints.auth.status()).data,
    staleTime: 60_000,
  });
}

/** Stores the signed-in admin so the console opens without asking again. */
export function useSignedIn() {
  const queryClient = useQueryClient();
  return (admin: AuthStatus["admin"]) =>
    queryClient.setQueryData<AuthStatus>(queryKeys.authStatus, { setupRequired: false, admin });
}

export function useLogout() {
  const queryClient = useQueryClient();
  const router = useRouter();
  return useMutation({
    mutationFn: () => endpoints.auth.logout(),
    onSettled: () => {
      queryClient.clear();
      queryClient.setQueryData<AuthStatus>(queryKeys.authStatus, { setupRequired: false, admin: null });
      router.replace("/login");
    },
  });
}

/** A same-site path to return to after signing in, never another origin. */
export function safeNext(next: string | null): string {
  const hasControl = [...(next ?? "")].some((ch) => ch.charCodeAt(0) < 0x20 || ch === "\\");
  if (!next?.startsWith("/") || hasControl) return "/apis";
  // Resolved against a placeholder origin (this also runs on the server): any other origin is foreign.
  const base = "http://console.invalid";
  const url = new URL(next, base);
  if (url.origin !== base || url.pathname.startsWith("/login")) return "/apis";
  return url.pathname + url.search + url.hash;
}
