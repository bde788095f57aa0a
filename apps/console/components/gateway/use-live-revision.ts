"use client";

import type { GatewayStatus } from "@gatehouse/shared";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useState } from "react";
import { queryKeys } from "@/lib/endpoints.ts";
import { fetchGatewayStatus } from "./use-gateway-status.ts";

export type LivePhase = "idle" | "waiting" | "live" | "not-live" | "rejected";

const POLL_MS = 250;
const GIVE_UP_MS = 15_000;

interface Tracked {
  revision: number;
  at: number;
}

function phaseOf(tracked: Tracked | null, status: GatewayStatus | undefined, updatedAt: number, timedOut: boolean) {
  if (!tracked) return "idle";
  if (status?.reachable && status.revision !== null && status.revision >= tracked.revision) return "live";
  // Only a status fetched after the save may say the gateway is unreachable.
  if (status && updatedAt >= tracked.at && !status.reachable) return "not-live";
  // Reachable but behind with an error: the gateway refused a revision and keeps serving the last good one.
  if (status && updatedAt >= tracked.at && status.error !== null) return "rejected";
  return timedOut ? "not-live" : "waiting";
}

/**
 * After a save, follows the gateway until it serves the saved revision: polls
 * /gateway/status every 250 ms until its revision catches up or it proves unreachable.
 */
export function useLiveRevision() {
  const queryClient = useQueryClient();
  const [tracked, setTracked] = useState<Tracked | null>(null);
  const [timedOut, setTimedOut] = useState(false);

  const status = useQuery({
    queryKey: queryKeys.gatewayStatus,
    queryFn: fetchGatewayStatus,
    enabled: tracked !== null,
    staleTime: 0,
    retry: false,
    refetchInterval: (query) =>
      phaseOf(tracked, query.state.data, query.state.dataUpdatedAt, timedOut) === "waiting" ? POLL_MS : false,
  });

  const phase: LivePhase = phaseOf(tracked, status.data, status.dataUpdatedAt, timedOut);

  useEffect(() => {
    if (phase !== "waiting") return;
    const timer = setTimeout(() => setTimedOut(true), GIVE_UP_MS);
    return () => clearTimeout(timer);
  }, [phase]);

  const track = useCallback(
    (revision: number | null) => {
      setTimedOut(false);
      if (revision === null) {
        setTracked(null);
        return;
      }
      setTracked({ revision, at: Date.now() });
      void queryClient.invalidateQueries({ queryKey: queryKeys.gatewayStatus });
    },
    [queryClient],
  );

  return { phase, track, gateway: status.data };
}
