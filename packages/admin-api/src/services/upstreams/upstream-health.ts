import { type ConfigDb, HEALTH_EVENTS } from "@gatehouse/db";
import { type HealthEvent, healthEventSchema, type UpstreamHealth, upstreamHealthSchema } from "@gatehouse/shared";
import type { AnalyticsReader } from "../analytics/analytics-reader.ts";
import { getUpstream } from "../read-models.ts";

/**
 * A pool's live target health as the gateway sees it, and its health changes. The gateway
 * keeps health in memory, so the states come from its status port (when it cannot be reached
 * the answer says so); the changes come from analytics.db, where the gateway's writer keeps
 * them across restarts, with the gateway's newest ones that are not written yet.
 */
export async function upstreamHealth(
  db: ConfigDb,
  reader: AnalyticsReader,
  id: string,
  gatewayStatusUrl: string | undefined,
): Promise<UpstreamHealth> {
  getUpstream(db, id);
  const stored = storedEvents(reader, id);
  const live = await liveHealth(id, gatewayStatusUrl);
  if (live === null) return { upstreamId: id, reachable: false, targets: [], events: stored };
  return { ...live, reachable: true, events: merged(live.events, stored) };
}

async function liveHealth(
  id: string,
  gatewayStatusUrl: string | undefined,
): Promise<Omit<UpstreamHealth, "reachable"> | null> {
  if (!gatewayStatusUrl) return null;
  try {
    const response = await fetch(new URL(`/health/upstreams/${encodeURIComponent(id)}`, gatewayStatusUrl), {
      signal: AbortSignal.timeout(1500),
    });
    // 404: the gateway has not loaded this pool yet (the save is not live); no states to show.
    if (response.status === 404) return { upstreamId: id, targets: [], events: [] };
    if (!response.ok) return null;
    const parsed = upstreamHealthSchema.omit({ reachable: true }).safeParse(await response.json());
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

const h = HEALTH_EVENTS.columns;

function storedEvents(reader: AnalyticsReader, id: string): HealthEvent[] {
  const rows = reader.read(
    (sqlite) =>
      sqlite
        .prepare(
          `SELECT ${h.at} AS at, ${h.upstreamId} AS upstreamId, ${h.targetId} AS targetId, ${h.url} AS url,
             ${h.from} AS "from", ${h.to} AS "to", ${h.reason} AS reason
           FROM ${HEALTH_EVENTS.name} WHERE ${h.upstreamId} = ? ORDER BY ${h.id} DESC LIMIT ?`,
        )
        .all(id, HEALTH_EVENTS.perUpstream) as (Omit<HealthEvent, "at"> & { at: number })[],
    [],
  );
  return rows.flatMap((row) => {
    const parsed = healthEventSchema.safeParse({ ...row, at: new Date(row.at).toISOString() });
    return parsed.success ? [parsed.data] : [];
  });
}

/** Newest first, each change once: the gateway's in-memory ones overlap what it has written. */
function merged(live: HealthEvent[], stored: HealthEvent[]): HealthEvent[] {
  const key = (event: HealthEvent) => `${event.at} ${event.targetId} ${event.from} ${event.to}`;
  const seen = new Set(stored.map(key));
  const unwritten = live.filter((event) => !seen.has(key(event)));
  return [...unwritten, ...stored]
    .sort((a, b) => Date.parse(b.at) - Date.parse(a.at))
    .slice(0, HEALTH_EVENTS.perUpstream);
}
