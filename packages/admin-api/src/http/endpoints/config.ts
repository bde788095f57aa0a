import { currentRevision } from "@gatehouse/db";
import {
  configApplyRequestSchema,
  configFileSchema,
  configPlanSchema,
  notFound,
  revisionDetailSchema,
  revisionListQuerySchema,
  revisionListSchema,
  rollbackRequestSchema,
} from "@gatehouse/shared";
import { z } from "zod";
import { applyConfigRequest } from "../../services/config/apply-config.ts";
import { configYaml, dumpConfig } from "../../services/config/dump-config.ts";
import { getRevision, listRevisions, rollbackTo } from "../../services/config/revisions.ts";
import { parseInput } from "../../services/context.ts";
import type { Operation } from "../operations.ts";

const dumpQuerySchema = z.strictObject({
  format: z.enum(["json", "yaml"]).default("json").meta({ description: "yaml: the file as text, ready to commit" }),
});

/** A revision number; anything else names no revision (404), as an unknown id does elsewhere. */
function revisionParam(params: Record<string, string>): number {
  const text = params.revision ?? "";
  if (!/^\d{1,15}$/.test(text)) throw notFound("Revision", text);
  return Number(text);
}

export const configOperations: Operation[] = [
  {
    method: "get",
    path: "/config",
    tag: "Config",
    summary: "The whole config as a file (secrets left out, keys as references), in a stable order",
    query: dumpQuerySchema,
    response: configFileSchema,
    otherContent: { "application/yaml": "With format=yaml" },
    handler: ({ c, ctx, query }) => {
      const { format } = parseInput(dumpQuerySchema, query);
      const revision = currentRevision(ctx.db);
      const file = dumpConfig(ctx.db);
      c.header("ETag", `"${revision}"`);
      if (format === "json") return file;
      return c.body(configYaml(file), 200, { "content-type": "application/yaml; charset=utf-8" });
    },
  },
  {
    method: "post",
    path: "/config/diff",
    tag: "Config",
    summary: "What applying a config file would create, update and delete; changes nothing",
    body: configApplyRequestSchema,
    response: configPlanSchema,
    maxBodyBytes: 50_000_000,
    handler: ({ ctx, body }) => applyConfigRequest(ctx, body, true),
  },
  {
    method: "post",
    path: "/config/apply",
    tag: "Config",
    summary: "Make the config equal to a file: one transaction, one revision; a file with any error changes nothing",
    errors: { 409: "Two objects swap names in one apply" },
    body: configApplyRequestSchema,
    response: configPlanSchema,
    maxBodyBytes: 50_000_000,
    handler: ({ ctx, body }) => applyConfigRequest(ctx, body, false),
  },
  {
    method: "get",
    path: "/revisions",
    tag: "Config",
    summary: "Every config revision, newest first: who, when, from where, and the objects it changed",
    query: revisionListQuerySchema,
    response: revisionListSchema,
    handler: ({ ctx, query }) => listRevisions(ctx.db, query),
  },
  {
    method: "get",
    path: "/revisions/:revision",
    tag: "Config",
    summary: "One revision: each object it changed, before and after",
    response: revisionDetailSchema,
    handler: ({ ctx, params }) => getRevision(ctx.db, revisionParam(params)),
  },
  {
    method: "post",
    path: "/revisions/:revision/rollback",
    tag: "Config",
    summary: "Restore the whole config as it was at a revision, as a new revision (dryRun: the plan only)",
    body: rollbackRequestSchema,
    response: configPlanSchema,
    handler: ({ ctx, params, body }) =>
      rollbackTo(ctx, revisionParam(params), parseInput(rollbackRequestSchema, body).dryRun),
  },
];
