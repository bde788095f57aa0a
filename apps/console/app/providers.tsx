"use client";

import type { AuthStatus } from "@gatehouse/shared";
import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { type ReactNode, useState } from "react";
import { z } from "zod";
import { ApiError, isSessionExpired } from "@/lib/api-client.ts";
import { queryKeys } from "@/lib/endpoints.ts";

// In the browser zod would probe `new Function` to compile parsers; the console's CSP forbids eval,
// and the probe, though caught, is reported as a violation. Jitless parsing is plenty fast for forms.
if (typeof window !== "undefined") z.config({ jitless: true });

function makeQueryClient(): QueryClient {
  // A 401 anywhere means the session ended: drop the admin so the auth gate sends us to /login.
  const onError = (error: unknown) => {
    if (!isSessionExpired(error)) return;
    client.setQueryData<AuthStatus>(queryKeys.authStatus, (prev) => (prev ? { ...prev, admin: null } : prev));
    void client.invalidateQueries({ queryKey: queryKeys.authStatus });
  };
  const client: QueryClient = new QueryClient({
    queryCache: new QueryCache({ onError }),
    mutationCache: new MutationCache({ onError }),
    defaultOptions: {
      queries: {
        staleTime: 5_000,
        retry: (failures, error) =>
          !(error instanceof ApiError && error.status >= 400 && error.status < 500) && failures < 2,
      },
    },
  });
  return client;
}

export function Providers({ children }: { children: ReactNode }) {
  const [client] = useState(makeQueryClient);
  return <QueryClientProvider client={client}>{children}</QueryClientProvider>;
}
