import { currentRevision } from "@gatehouse/db";
import {
  type ConfigChange,
  type ConfigFile,
  type ConfigPlan,
  configApplyRequestSchema,
  GatehouseError,
  type RevisionSource,
} from "@gatehouse/shared";
import { parseInput, type ServiceContext } from "../context.ts";
import { type AnyObject, keyedObjects, objectName } from "./config-objects.ts";
import { writeVersions } from "./config-versions.ts";
import { resolveDesired } from "./desired-config.ts";
import { planChanges } from "./plan-changes.ts";
import { readConfigFile } from "./read-config-file.ts";
import { writeChanges } from "./write-config.ts";

export interface ApplyOptions {
  dryRun: boolean;
  selectTag?: string | undefined;
  prune: boolean;
  source?: RevisionSource;
}

function summarize(changes: ConfigChange[]): ConfigPlan["summary"] {
  const summary = { create: 0, update: 0, delete: 0 };
  for (const change of changes) summary[change.action]++;
  return summary;
}

/**
 * Makes the config equal to `file` (within the managed scope) in one transaction and one
 * revision, or, with dryRun, answers what that would change. A file with any error changes
 * nothing; an unchanged file makes no revision.
 */
export function applyConfig(ctx: ServiceContext, file: ConfigFile, options: ApplyOptions): ConfigPlan {
  if (options.dryRun) {
    const changes = planChanges(resolveDesired(ctx.db, file, options));
    return { revision: currentRevision(ctx.db), applied: false, changes, summary: summarize(changes) };
  }
  ctx.source = options.source ?? "file";
  ctx.batch = { objects: new Map() };
  try {
    const changes = ctx.db.transaction(
      (tx) => {
        const revision = currentRevision(ctx.db);
        if (ctx.expectedRevision !== undefined && ctx.expectedRevision !== revision) {
          throw new GatehouseError(
            "revision_mismatch",
            `The config is at revision ${revision}, not ${ctx.expectedRevision} (If-Match): diff again and retry`,
          );
        }
        const resolved = resolveDesired(ctx.db, file, options);
        const planned = planChanges(resolved);
        writeChanges(tx, ctx, resolved, planned);
        const batch = ctx.batch;
        if (batch?.revision !== undefined) {
          const after = keyedObjects(resolved.desired);
          const before = keyedObjects(resolved.current);
          writeVersions(
            tx,
            batch.revision,
            [...batch.objects.entries()].map(([key, { kind, id }]) => {
              const object = after.get(key) ?? null;
              return { kind, id, object, name: objectName(kind, (object ?? before.get(key)) as AnyObject) };
            }),
          );
        }
        return planned;
      },
      { behavior: "immediate" },
    );
    return {
      revision: ctx.revision ?? currentRevision(ctx.db),
      applied: changes.length > 0,
      changes,
      summary: summarize(changes),
    };
  } finally {
    ctx.batch = undefined;
  }
}

/** The Admin API's entry: the request body is the file (text or document) and the options. */
export function applyConfigRequest(ctx: ServiceContext, body: unknown, dryRun: boolean): ConfigPlan {
  const { config, ...options } = parseInput(configApplyRequestSchema, body);
  return applyConfig(ctx, readConfigFile(config), { ...options, dryRun: dryRun || options.dryRun });
}
