import { type ConfigDb, currentRevision } from "@gatehouse/db";
import {
  type ConfigChange,
  type ConfigObjectKind,
  type ConfigPlan,
  configFileSchema,
  fieldErrors,
  GatehouseError,
  notFound,
  type RevisionDetail,
  type RevisionSource,
  type RevisionSummary,
  revisionListQuerySchema,
} from "@gatehouse/shared";
import { parseInput, type ServiceContext } from "../context.ts";
import { applyConfig } from "./apply-config.ts";
import { historyStart, namesAt, objectsAt, versionsOf } from "./config-versions.ts";
import { describeChange } from "./plan-changes.ts";
import { invalidFile } from "./read-config-file.ts";
import { toConfigFile } from "./to-config-file.ts";

type Sqlite = ConfigDb["$client"];
type Head = [revision: number, at: string, actor: string, source: RevisionSource, records: number];

/** The file objects each revision changed, from their versions: deleted, new, or changed. */
function objectsOf(sqlite: Sqlite, revisions: number[]): Map<number, RevisionSummary["objects"]> {
  const out = new Map<number, RevisionSummary["objects"]>();
  if (revisions.length === 0) return out;
  const rows = sqlite
    .prepare(
      `SELECT revision, kind, object_id, name, rows IS NULL,
         EXISTS (SELECT 1 FROM config_versions w WHERE w.kind = v.kind AND w.object_id = v.object_id AND w.revision < v.revision)
       FROM config_versions v
       WHERE object_id <> '' AND revision IN (${revisions.map(() => "?").join(",")})
       ORDER BY kind, name`,
    )
    .raw()
    .all(...revisions) as Array<[number, ConfigObjectKind, string, string, number, number]>;
  for (const [revision, kind, id, name, gone, existed] of rows) {
    const list = out.get(revision) ?? [];
    list.push({ kind, id, name, action: gone ? "delete" : existed ? "update" : "create" });
    out.set(revision, list);
  }
  return out;
}

function summaries(sqlite: Sqlite, heads: Head[]): RevisionSummary[] {
  const objects = objectsOf(
    sqlite,
    heads.map(([revision]) => revision),
  );
  return heads.map(([revision, at, actor, source, records]) => ({
    revision,
    at,
    actor,
    source,
    records,
    objects: objects.get(revision) ?? [],
  }));
}

const HEAD = "SELECT revision, min(at), min(actor), min(source), count(*) FROM audit_log";

/** The revisions newest first, or those that changed one object. */
export function listRevisions(db: ConfigDb, query: unknown): { data: RevisionSummary[]; historyStart: number } {
  const { limit, before, objectId, kind } = parseInput(revisionListQuerySchema, query);
  const where: string[] = [];
  const params: unknown[] = [];
  if (before !== undefined) {
    where.push("revision < ?");
    params.push(before);
  }
  if (objectId !== undefined || kind !== undefined) {
    where.push(
      `revision IN (SELECT revision FROM config_versions WHERE object_id <> ''${objectId !== undefined ? " AND object_id = ?" : ""}${kind !== undefined ? " AND kind = ?" : ""})`,
    );
    if (objectId !== undefined) params.push(objectId);
    if (kind !== undefined) params.push(kind);
  }
  const heads = db.$client
    .prepare(
      `${HEAD} ${where.length > 0 ? `WHERE ${where.join(" AND ")}` : ""} GROUP BY revision ORDER BY revision DESC LIMIT ?`,
    )
    .raw()
    .all(...params, limit) as Head[];
  return { data: summaries(db.$client, heads), historyStart: historyStart(db.$client) };
}

/** One revision with each object it changed, before and after, as a file shows them. */
export function getRevision(db: ConfigDb, revision: number): RevisionDetail {
  const head = db.$client.prepare(`${HEAD} WHERE revision = ? GROUP BY revision`).raw().get(revision) as
    | Head
    | undefined;
  if (!head) throw notFound("Revision", String(revision));
  const [summary] = summaries(db.$client, [head]) as [RevisionSummary];
  const names = namesAt(db.$client, revision);
  const changes = versionsOf(db.$client, revision)
    .map(({ kind, id, before, after }) => describeChange(kind, id, before, after, names))
    .filter((change): change is ConfigChange => change !== null);
  return { ...summary, changes };
}

/** Restores the whole config as it was at `revision`, through the file apply: one new revision. */
export function rollbackTo(ctx: ServiceContext, revision: number, dryRun: boolean): ConfigPlan {
  const start = historyStart(ctx.db.$client);
  if (revision < start) {
    throw new GatehouseError(
      "not_found",
      `Revision ${revision} is older than the history kept, which starts at ${start}`,
    );
  }
  if (revision > currentRevision(ctx.db)) throw notFound("Revision", String(revision));
  const parsed = configFileSchema.safeParse(toConfigFile(objectsAt(ctx.db.$client, revision), { secrets: true }));
  if (!parsed.success) {
    throw invalidFile(fieldErrors(parsed.error), `Revision ${revision} no longer passes today's checks`);
  }
  return applyConfig(ctx, parsed.data, { dryRun, prune: true, source: "rollback" });
}
