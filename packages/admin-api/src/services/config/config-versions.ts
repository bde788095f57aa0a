import { type ConfigDb, configVersions, currentRevision } from "@gatehouse/db";
import type { AuditEntityType, ConfigObjectKind } from "@gatehouse/shared";
import { sql } from "drizzle-orm";
import type { Tx } from "../context.ts";
import {
  type AnyObject,
  type ConfigObjects,
  collectObjects,
  eachObject,
  objectName,
  readConfigObjects,
  readObject,
  type UpstreamObject,
} from "./config-objects.ts";
import type { FileNames } from "./to-config-file.ts";

type Sqlite = ConfigDb["$client"];

interface Owner {
  kind: ConfigObjectKind;
  id: string;
}

type Attached = { apiId?: string | null; routeId?: string | null; consumerId?: string | null; upstreamId?: string };

/** The file object an audited change belongs to (a route's API, a target's pool), or null for keys and purges. */
export function ownerOf(
  sqlite: Sqlite,
  change: { entityType: AuditEntityType; entityId: string; before: unknown; after: unknown },
): Owner | null {
  const row = (change.after ?? change.before ?? {}) as Attached;
  switch (change.entityType) {
    case "api":
    case "upstream":
    case "consumer":
    case "plan":
      return { kind: change.entityType, id: change.entityId };
    case "route":
      return row.apiId ? { kind: "api", id: row.apiId } : null;
    case "target":
      return row.upstreamId ? { kind: "upstream", id: row.upstreamId } : null;
    case "policy": {
      if (row.apiId) return { kind: "api", id: row.apiId };
      if (row.consumerId) return { kind: "consumer", id: row.consumerId };
      if (row.routeId) {
        const api = sqlite.prepare("SELECT api_id FROM routes WHERE id = ?").pluck().get(row.routeId) as
          | string
          | undefined;
        return api ? { kind: "api", id: api } : null;
      }
      return { kind: "policy", id: change.entityId };
    }
    default:
      return null;
  }
}

function insertVersion(
  tx: Pick<Tx, "insert">,
  revision: number,
  kind: ConfigObjectKind,
  id: string,
  object: AnyObject | null,
  name: string,
) {
  tx.insert(configVersions)
    .values({ kind, objectId: id, revision, name, rows: object })
    .onConflictDoUpdate({
      target: [configVersions.kind, configVersions.objectId, configVersions.revision],
      set: { name, rows: object },
    })
    .run();
}

/** SQLite takes up to 32,766 bound values a statement; 5 a version. */
const VERSIONS_PER_INSERT = 1000;

export interface ObjectState {
  kind: ConfigObjectKind;
  id: string;
  name: string;
  object: AnyObject | null;
}

/** Records many objects' states under one revision (a file apply knows them without reading them back). */
export function writeVersions(tx: Pick<Tx, "insert">, revision: number, states: readonly ObjectState[]): void {
  for (let i = 0; i < states.length; i += VERSIONS_PER_INSERT) {
    tx.insert(configVersions)
      .values(
        states
          .slice(i, i + VERSIONS_PER_INSERT)
          .map(({ kind, id, name, object }) => ({ kind, objectId: id, revision, name, rows: object })),
      )
      .onConflictDoUpdate({
        target: [configVersions.kind, configVersions.objectId, configVersions.revision],
        set: { name: sql`excluded.name`, rows: sql`excluded.rows` },
      })
      .run();
  }
}

/** Records the object as it stands now (or its deletion) under `revision`, in the caller's transaction. */
export function writeVersion(tx: Tx, sqlite: Sqlite, revision: number, owner: Owner): void {
  const object = readObject(sqlite, owner.kind, owner.id);
  const name =
    object !== null
      ? objectName(owner.kind, object)
      : ((sqlite
          .prepare("SELECT name FROM config_versions WHERE kind = ? AND object_id = ? ORDER BY revision DESC LIMIT 1")
          .pluck()
          .get(owner.kind, owner.id) as string | undefined) ?? owner.id);
  insertVersion(tx, revision, owner.kind, owner.id, object, name);
}

/**
 * Starts the history of a config.db that has none (made before versions were kept): every
 * object as it stands, at the current revision. Rollbacks reach back to there.
 */
export function ensureHistory(db: ConfigDb): void {
  const any = db.$client.prepare("SELECT 1 FROM config_versions LIMIT 1").get();
  if (any) return;
  db.transaction((tx) => {
    const revision = currentRevision(db);
    for (const { kind, id, object } of eachObject(readConfigObjects(db.$client))) {
      insertVersion(tx, revision, kind, id, object, objectName(kind, object));
    }
    // Marks where the history starts even when the config is empty.
    tx.run(
      sql`INSERT OR IGNORE INTO config_versions (kind, object_id, revision, name, rows) VALUES ('policy', '', ${revision}, '', NULL)`,
    );
  });
}

/** The oldest revision the config can be rebuilt at. */
export function historyStart(sqlite: Sqlite): number {
  return (sqlite.prepare("SELECT min(revision) FROM config_versions").pluck().get() as number | null) ?? 0;
}

/**
 * A saved version as the object it was. One saved before a column existed reads with the
 * column's default, as its row did when the migration added it (a pool's `tls`, 0006).
 */
function parseVersion(kind: ConfigObjectKind, json: string): AnyObject {
  const object = JSON.parse(json) as AnyObject;
  if (kind === "upstream") (object as UpstreamObject).upstream.tls ??= { skipVerify: false };
  return object;
}

/** Every object as it stood at `revision`: per object, its latest version at or before it. */
export function objectsAt(sqlite: Sqlite, revision: number): ConfigObjects {
  const rows = sqlite
    .prepare(
      `SELECT kind, rows FROM config_versions v
       WHERE revision = (SELECT max(revision) FROM config_versions w
                         WHERE w.kind = v.kind AND w.object_id = v.object_id AND w.revision <= ?)
         AND rows IS NOT NULL`,
    )
    .raw()
    .all(revision) as Array<[ConfigObjectKind, string]>;
  return collectObjects(rows.map(([kind, json]) => ({ kind, object: parseVersion(kind, json) })));
}

/**
 * What pools and plans were called at `revision`, or where a pool was deleted by then, what it
 * was last called: how a revision's diff names the pool an API used.
 */
export function namesAt(sqlite: Sqlite, revision: number): FileNames {
  const rows = sqlite
    .prepare(
      `SELECT kind, object_id, name FROM config_versions v
       WHERE kind IN ('upstream', 'plan') AND object_id <> ''
         AND revision = (SELECT max(revision) FROM config_versions w
                         WHERE w.kind = v.kind AND w.object_id = v.object_id AND w.revision <= ?)`,
    )
    .raw()
    .all(revision) as Array<[ConfigObjectKind, string, string]>;
  const names = { upstream: new Map<string, string>(), plan: new Map<string, string>() };
  for (const [kind, id, name] of rows) names[kind as "upstream" | "plan"].set(id, name);
  return { upstream: (id) => names.upstream.get(id) ?? id, plan: (id) => names.plan.get(id) ?? id };
}

export interface ObjectVersion {
  kind: ConfigObjectKind;
  id: string;
  name: string;
  before: AnyObject | null;
  after: AnyObject | null;
}

/** The objects `revision` changed, each as it was just before and just after. */
export function versionsOf(sqlite: Sqlite, revision: number): ObjectVersion[] {
  const rows = sqlite
    .prepare(
      `SELECT kind, object_id, name, rows,
         (SELECT rows FROM config_versions w WHERE w.kind = v.kind AND w.object_id = v.object_id AND w.revision < v.revision
          ORDER BY w.revision DESC LIMIT 1) AS before
       FROM config_versions v WHERE revision = ? AND object_id <> '' ORDER BY kind, name`,
    )
    .raw()
    .all(revision) as Array<[ConfigObjectKind, string, string, string | null, string | null]>;
  return rows.map(([kind, id, name, after, before]) => ({
    kind,
    id,
    name,
    before: before === null ? null : parseVersion(kind, before),
    after: after === null ? null : parseVersion(kind, after),
  }));
}
