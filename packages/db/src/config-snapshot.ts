import type { AuditAction, AuditEntityType } from "@gatehouse/shared";
import type { ConfigDb } from "./client.ts";
import { readAll } from "./read-all.ts";
import { currentRevision } from "./revision.ts";
import {
  type ApiRow,
  apis,
  type CachePurgeRow,
  type CertificateRow,
  type ConsumerRow,
  cachePurges,
  certificates,
  consumers,
  type PlanRow,
  type PolicyRow,
  plans,
  policies,
  type RouteRow,
  routes,
  type TargetRow,
  targets,
  type UpstreamRow,
  upstreams,
} from "./schema/index.ts";

/** Everything the gateway reads from config.db, as plain rows, at one revision. */
export interface ConfigSnapshot {
  revision: number;
  apis: ApiRow[];
  routes: RouteRow[];
  upstreams: UpstreamRow[];
  targets: TargetRow[];
  consumers: ConsumerRow[];
  plans: PlanRow[];
  policies: PolicyRow[];
  /** The most recent purges of each API's cached answers. */
  cachePurges: CachePurgeRow[];
  /** TLS certificates, their keys still sealed. */
  certificates: CertificateRow[];
}

/** What changed since a revision, read from the audit log. */
export interface ChangeSummary {
  /** False when the audit rows do not account for every revision (a replaced file): read everything. */
  complete: boolean;
  keyIds: string[];
  /** True when a change may affect more than single keys (a deleted consumer takes its keys along). */
  reloadKeys: boolean;
  /** True when anything but keys changed, so the config must be compiled again. */
  configChanged: boolean;
  /** Routes to read again: these ids, and every route of these APIs. */
  routeIds: string[];
  routeApiIds: string[];
}

/** The audit rows after `since` up to `revision`. */
export function changesSince(db: ConfigDb, since: number, revision: number): ChangeSummary {
  const rows = db.$client
    .prepare("SELECT entity_type, entity_id, action, revision FROM audit_log WHERE revision > ? AND revision <= ?")
    .raw()
    .all(since, revision) as Array<[AuditEntityType, string, AuditAction, number]>;
  // A revision may hold many rows (a file apply), but every revision holds at least one.
  const complete = new Set(rows.map((row) => row[3])).size === revision - since;
  const summary: ChangeSummary = {
    complete,
    keyIds: [],
    reloadKeys: !complete,
    configChanged: false,
    routeIds: [],
    routeApiIds: [],
  };
  for (const [type, id, action] of rows) {
    if (type === "api_key") summary.keyIds.push(id);
    // Node tokens are the console's, not what a gateway serves: their revision changes nothing to compile.
    else if (type !== "node_token") summary.configChanged = true;
    if (type === "consumer" && action === "delete") summary.reloadKeys = true;
    if (type === "route") summary.routeIds.push(id);
    // Creating an API writes its routes and deleting it cascades to them, both under the API's
    // one audit row; an update writes the apis row only.
    if (type === "api" && action !== "update") summary.routeApiIds.push(id);
  }
  return summary;
}

/** Past this many changed routes one read of the whole table beats a long IN list. */
const MAX_PATCHED_ROUTES = 500;

/**
 * The route rows a change brings: every route (`all`), or the rows of the changed route ids
 * and of every route of the changed APIs, which replace whatever the previous rows had for those.
 */
export type RoutePatch = { all: RouteRow[] } | { ids: string[]; apiIds: string[]; rows: RouteRow[] };

/** The route rows that changed, read from config.db; null when none did. */
export function readRoutePatch(sqlite: ConfigDb["$client"], changes: ChangeSummary): RoutePatch | null {
  const ids = [...new Set(changes.routeIds)];
  const apiIds = [...new Set(changes.routeApiIds)];
  if (ids.length === 0 && apiIds.length === 0) return null;
  if (ids.length + apiIds.length > MAX_PATCHED_ROUTES) return { all: readAll(sqlite, routes) };
  const marks = (list: string[]) => list.map(() => "?").join(", ");
  const clauses = [
    ...(ids.length > 0 ? [`"id" IN (${marks(ids)})`] : []),
    ...(apiIds.length > 0 ? [`"api_id" IN (${marks(apiIds)})`] : []),
  ];
  return { ids, apiIds, rows: readAll(sqlite, routes, { sql: clauses.join(" OR "), params: [...ids, ...apiIds] }) };
}

/** The previous routes with a patch applied; with no patch, the previous array itself, which lets the compiler keep its router. */
export function applyRoutePatch(previous: RouteRow[], patch: RoutePatch | null): RouteRow[] {
  if (patch === null) return previous;
  if ("all" in patch) return patch.all;
  const ids = new Set(patch.ids);
  const apiIds = new Set(patch.apiIds);
  return [...previous.filter((route) => !ids.has(route.id) && !apiIds.has(route.apiId)), ...patch.rows];
}

/** Reads all config in one read transaction, so the rows and the revision agree. */
export function loadSnapshot(db: ConfigDb): ConfigSnapshot {
  return db.$client.transaction(() => readSnapshot(db)).deferred();
}

/**
 * The rows, for a caller that already holds a read transaction. Given the previous snapshot's
 * routes and the complete changes since it, only the changed routes are read: the other
 * tables stay small, the routes table is the one that grows to tens of thousands of rows.
 */
export function readSnapshot(db: ConfigDb, base?: { routes: RouteRow[]; changes: ChangeSummary }): ConfigSnapshot {
  const sqlite = db.$client;
  return {
    revision: currentRevision(db),
    routes: base?.changes.complete
      ? applyRoutePatch(base.routes, readRoutePatch(sqlite, base.changes))
      : readAll(sqlite, routes),
    ...readConfigTables(sqlite),
  };
}

/** Every table of a snapshot but routes: the small ones, read whole. */
export function readConfigTables(sqlite: ConfigDb["$client"]): Omit<ConfigSnapshot, "revision" | "routes"> {
  return {
    apis: readAll(sqlite, apis),
    upstreams: readAll(sqlite, upstreams),
    targets: readAll(sqlite, targets),
    consumers: readAll(sqlite, consumers),
    plans: readAll(sqlite, plans),
    policies: readAll(sqlite, policies),
    cachePurges: readAll(sqlite, cachePurges),
    certificates: readAll(sqlite, certificates),
  };
}
