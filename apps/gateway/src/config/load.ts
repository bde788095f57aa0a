import {
  type ApiRow,
  apis,
  type ConfigDb,
  type ConsumerRow,
  consumers,
  currentRevision,
  type PlanRow,
  type PolicyRow,
  plans,
  policies,
  type RouteRow,
  readAll,
  routes,
  type TargetRow,
  targets,
  type UpstreamRow,
  upstreams,
} from "@gatehouse/db";

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
}

/** What changed since a revision, read from the audit log: the key ids, and whether anything else did. */
export interface ChangeSummary {
  keyIds: string[];
  /** True when a change may affect more than single keys (a deleted consumer takes its keys along). */
  reloadKeys: boolean;
  /** True when anything but keys changed, so the config must be compiled again. */
  configChanged: boolean;
}

/** The audit rows after `since` up to `revision`; a gap in them (a replaced file) asks for a full reload. */
export function changesSince(db: ConfigDb, since: number, revision: number): ChangeSummary {
  const rows = db.$client
    .prepare("SELECT entity_type, entity_id, action FROM audit_log WHERE revision > ? AND revision <= ?")
    .raw()
    .all(since, revision) as Array<[string, string, string]>;
  const keyIds: string[] = [];
  let configChanged = false;
  let reloadKeys = rows.length !== revision - since;
  for (const [type, id, action] of rows) {
    if (type === "api_key") keyIds.push(id);
    else configChanged = true;
    if (type === "consumer" && action === "delete") reloadKeys = true;
  }
  return { keyIds, reloadKeys, configChanged };
}

/** Reads all config in one read transaction, so the rows and the revision agree. */
export function loadSnapshot(db: ConfigDb): ConfigSnapshot {
  return db.$client.transaction(() => readSnapshot(db)).deferred();
}

/** The rows, for a caller that already holds a read transaction. */
export function readSnapshot(db: ConfigDb): ConfigSnapshot {
  const sqlite = db.$client;
  return {
    revision: currentRevision(db),
    apis: readAll(sqlite, apis),
    routes: readAll(sqlite, routes),
    upstreams: readAll(sqlite, upstreams),
    targets: readAll(sqlite, targets),
    consumers: readAll(sqlite, consumers),
    plans: readAll(sqlite, plans),
    policies: readAll(sqlite, policies),
  };
}
