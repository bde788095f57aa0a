import { type ConfigDb, consumers, routes } from "@gatehouse/db";
import {
  GatehouseError,
  type GatewayRequestLog,
  type GatewayRequestLogQuery,
  gatewayRequestLogSchema,
  type RequestLog,
  type RequestLogEntry,
  requestLogQuerySchema,
} from "@gatehouse/shared";
import { eq, inArray } from "drizzle-orm";
import type { NodeRequestLogs } from "../../node-sync/node-request-logs.ts";
import { parseInput } from "../context.ts";
import { type GatewayStatusAccess, gatewayUrl } from "./gateway-relay.ts";
import { apiNames, consumerNames } from "./names.ts";

/** An entry and the node that served it, null for the console's own gateway. */
type ServedEntry = RequestLogEntry & { node: string | null };

/**
 * The console's own gateway's in-memory request log, filtered there, merged with the entries
 * data-plane nodes sent, filtered here the same way, with the names of the APIs, routes and
 * consumers they matched. The consumer filter takes a name, as the user knows them; the
 * gateways know only ids. Without the console's gateway the nodes' entries are still answered.
 */
export async function requestLog(
  db: ConfigDb,
  access: GatewayStatusAccess,
  nodeLogs: NodeRequestLogs,
  input: unknown,
): Promise<RequestLog> {
  const { consumer, ...query } = parseInput(requestLogQuerySchema, input);
  if (consumer !== undefined) query.consumerId = consumerIdByName(db, consumer);
  let own: GatewayRequestLog | null = null;
  try {
    own = await gatewayRequestLog(access, query);
  } catch (error) {
    // Only an unreachable gateway is answered around; a gateway answering nonsense is a fault.
    if (!(error instanceof GatehouseError) || !nodeLogs.held) throw error;
  }
  const entries: ServedEntry[] = [
    ...(own?.entries.map((entry) => ({ ...entry, node: null })) ?? []),
    ...nodeLogs.query(query),
  ]
    .sort((a, b) => b.time - a.time)
    .slice(0, query.limit);
  const sampleRate = entries.reduce((lowest, entry) => Math.min(lowest, entry.sampleRate), 1);
  return {
    entries: withNames(db, entries),
    sampleRate,
    // Without the console's gateway, the rate the rows shown were kept at is the best there is.
    currentSampleRate: own?.sampleRate ?? sampleRate,
  };
}

async function gatewayRequestLog(access: GatewayStatusAccess, query: GatewayRequestLogQuery) {
  const url = gatewayUrl(access, "/requests");
  for (const [name, value] of Object.entries(query)) if (value !== undefined) url.searchParams.set(name, String(value));
  let response: Response;
  try {
    response = await fetch(url, {
      headers: { authorization: `Bearer ${access.token()}` },
      signal: AbortSignal.timeout(2000),
    });
  } catch (error) {
    throw new GatehouseError("gateway_unavailable", `Gateway unreachable: ${(error as Error).message}`);
  }
  if (!response.ok) throw new GatehouseError("gateway_unavailable", `The gateway answered ${response.status}`);
  return gatewayRequestLogSchema.parse(await response.json());
}

function consumerIdByName(db: ConfigDb, name: string): string {
  const row = db.select({ id: consumers.id }).from(consumers).where(eq(consumers.name, name)).get();
  if (row !== undefined) return row.id;
  const message = `No consumer is named "${name}"`;
  throw new GatehouseError("validation_failed", message, [{ path: "consumer", message }]);
}

function withNames(db: ConfigDb, entries: ServedEntry[]): RequestLog["entries"] {
  const ids = (pick: (entry: RequestLogEntry) => string | null) => [
    ...new Set(entries.map(pick).filter((id) => id !== null)),
  ];
  const apis = apiNames(
    db,
    ids((entry) => entry.apiId),
  );
  const people = consumerNames(
    db,
    ids((entry) => entry.consumerId),
  );
  const routeIds = ids((entry) => entry.routeId);
  const routeRows =
    routeIds.length === 0
      ? []
      : db
          .select({ id: routes.id, name: routes.name, methods: routes.methods, paths: routes.paths })
          .from(routes)
          .where(inArray(routes.id, routeIds))
          .all();
  const labels = new Map(
    routeRows.map((route) => [route.id, route.name ?? `${route.methods.join(", ") || "ANY"} ${route.paths.join(" ")}`]),
  );
  return entries.map((entry) => ({
    ...entry,
    apiName: entry.apiId === null ? null : (apis.get(entry.apiId) ?? entry.apiId),
    routeLabel: entry.routeId === null ? null : (labels.get(entry.routeId) ?? "(deleted route)"),
    consumerName: entry.consumerId === null ? null : (people.get(entry.consumerId) ?? entry.consumerId),
  }));
}
