import type { ConfigDb } from "@gatehouse/db";
import { type UpstreamHealth, upstreamHealthSchema } from "@gatehouse/shared";
import { getUpstream } from "../read-models.ts";

/**
 * A pool's live target health as the gateway sees it. The gateway keeps health in memory, so
 * this asks its status port; when the gateway cannot be reached the answer says so.
 */
export async function upstreamHealth(
  db: ConfigDb,
  id: string,
  gatewayStatusUrl: string | undefined,
): Promise<UpstreamHealth> {
  getUpstream(db, id);
  const unknown: UpstreamHealth = { upstreamId: id, reachable: false, targets: [], events: [] };
  if (!gatewayStatusUrl) return unknown;
  try {
    const response = await fetch(new URL(`/health/upstreams/${encodeURIComponent(id)}`, gatewayStatusUrl), {
      signal: AbortSignal.timeout(1500),
    });
    // 404: the gateway has not loaded this pool yet (the save is not live); no states to show.
    if (response.status === 404) return { ...unknown, reachable: true };
    if (!response.ok) return unknown;
    const parsed = upstreamHealthSchema.omit({ reachable: true }).safeParse(await response.json());
    return parsed.success ? { ...parsed.data, reachable: true } : unknown;
  } catch {
    return unknown;
  }
}
