import {
  type ApiRow,
  apiKeys,
  apis,
  type ConfigDb,
  type ConsumerRow,
  consumers,
  currentRevision,
  type PolicyRow,
  policies,
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
  consumers: ConsumerRow[];
  apiKeys: KeyRow[];
  policies: PolicyRow[];
}

/** What the gateway needs of a key: not its name or metadata, of which there may be a million. */
export type KeyRow = Pick<
  typeof apiKeys.$inferSelect,
  "id" | "consumerId" | "hash" | "apiIds" | "expiresAt" | "revokedAt" | "limits"
>;

const keyColumns = {
  id: apiKeys.id,
  consumerId: apiKeys.consumerId,
  hash: apiKeys.hash,
  apiIds: apiKeys.apiIds,
  expiresAt: apiKeys.expiresAt,
  revokedAt: apiKeys.revokedAt,
  limits: apiKeys.limits,
};

/** Reads all config in one read transaction, so the rows and the revision agree. */
export function loadSnapshot(db: ConfigDb): ConfigSnapshot {
  const read = db.$client.transaction(
    (): ConfigSnapshot => ({
      revision: currentRevision(db),
      apis: db.select().from(apis).all(),
      routes: db.select().from(routes).all(),
      upstreams: db.select().from(upstreams).all(),
      targets: db.select().from(targets).all(),
      consumers: db.select().from(consumers).all(),
      apiKeys: db.select(keyColumns).from(apiKeys).all(),
      policies: db.select().from(policies).all(),
    }),
  );
  return read.deferred();
}
