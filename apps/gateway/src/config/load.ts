import {
  type ApiRow,
  apis,
  type ConfigDb,
  currentRevision,
  type RouteRow,
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
}

/** Reads all config in one read transaction, so the rows and the revision agree. */
export function loadSnapshot(db: ConfigDb): ConfigSnapshot {
  const read = db.$client.transaction(
    (): ConfigSnapshot => ({
      revision: currentRevision(db),
      apis: db.select().from(apis).all(),
      routes: db.select().from(routes).all(),
      upstreams: db.select().from(upstreams).all(),
      targets: db.select().from(targets).all(),
    }),
  );
  return read.deferred();
}
