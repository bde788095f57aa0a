import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  apis,
  auditLog,
  type ConfigDb,
  migrateConfigDb,
  openConfigDb,
  routes,
  targets,
  upstreams,
} from "@gatehouse/db";
import {
  type AuditAction,
  type AuditEntityType,
  type HashOn,
  healthChecksSchema,
  newId,
  type RouteInput,
  routeInputSchema,
  type UpstreamCreate,
} from "@gatehouse/shared";
import { sql } from "drizzle-orm";

type Tx = Parameters<Parameters<ConfigDb["transaction"]>[0]>[0];

/** Upstream settings as the Admin API takes them; health checks are defaulted by the shared schema. */
export type UpstreamSeed = Partial<
  Pick<
    UpstreamCreate,
    "algorithm" | "connectTimeoutMs" | "sendTimeoutMs" | "readTimeoutMs" | "retries" | "healthChecks"
  >
> & { hashOn?: HashOn };

export interface TargetSeed {
  url: string;
  weight?: number;
  enabled?: boolean;
}

/**
 * Writes config the way the Admin API does: the rows and one audit_log row in the same
 * transaction, so every change is a new revision the gateway can follow.
 */
export class TestConfigDb {
  readonly dir: string;
  readonly db: ConfigDb;

  constructor(dir = mkdtempSync(path.join(tmpdir(), "gatehouse-gw-"))) {
    this.dir = dir;
    this.db = openConfigDb(dir);
    migrateConfigDb(this.db);
  }

  /** Runs `write` and appends an audit row in one transaction; returns the new revision. */
  change(entity: { type: AuditEntityType; id: string; action?: AuditAction }, write: (tx: Tx) => void): number {
    return this.db.transaction((tx) => {
      write(tx);
      const row = tx
        .insert(auditLog)
        .values({
          revision: sql`(select coalesce(max(revision), 0) + 1 from audit_log)`,
          at: new Date().toISOString(),
          actor: "test",
          action: entity.action ?? "update",
          entityType: entity.type,
          entityId: entity.id,
        })
        .returning({ revision: auditLog.revision })
        .get();
      return row.revision;
    });
  }

  addUpstream(
    seeds: TargetSeed[],
    { healthChecks, ...settings }: UpstreamSeed = {},
  ): { upstreamId: string; targetIds: string[]; revision: number } {
    const upstreamId = newId("upstream");
    const targetIds = seeds.map(() => newId("target"));
    const revision = this.change({ type: "upstream", id: upstreamId, action: "create" }, (tx) => {
      tx.insert(upstreams)
        .values({
          id: upstreamId,
          name: upstreamId,
          ...settings,
          ...(healthChecks ? { healthChecks: healthChecksSchema.parse(healthChecks) } : {}),
        })
        .run();
      seeds.forEach((seed, i) => {
        tx.insert(targets)
          .values({
            id: targetIds[i] as string,
            upstreamId,
            url: seed.url,
            weight: seed.weight ?? 100,
            enabled: seed.enabled ?? true,
          })
          .run();
      });
    });
    return { upstreamId, targetIds, revision };
  }

  /** Creates an API with routes validated (and defaulted) by the shared route schema. */
  addApi(
    upstreamId: string,
    routeInputs: RouteInput[],
    options: { enabled?: boolean; name?: string } = {},
  ): { apiId: string; routeIds: string[]; revision: number } {
    const apiId = newId("api");
    const name = options.name ?? apiId;
    const routeIds = routeInputs.map(() => newId("route"));
    const revision = this.change({ type: "api", id: apiId, action: "create" }, (tx) => {
      tx.insert(apis)
        .values({ id: apiId, name, slug: name.toLowerCase(), upstreamId, enabled: options.enabled ?? true })
        .run();
      routeInputs.forEach((input, i) => {
        tx.insert(routes)
          .values({ id: routeIds[i] as string, apiId, ...routeInputSchema.parse(input) })
          .run();
      });
    });
    return { apiId, routeIds, revision };
  }

  close(): void {
    this.db.$client.close();
  }

  remove(): void {
    this.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
