import { z } from "zod";
import { ID_PREFIXES, type IdKind } from "../ids.ts";
import { apiCreateSchema } from "./api.ts";
import { nameSchema } from "./common.ts";
import { consumerCreateSchema, planCreateSchema } from "./consumer.ts";
import { policyCreateSchema } from "./policy.ts";
import { routeInputSchema } from "./route.ts";
import { upstreamCreateSchema } from "./upstream.ts";

/**
 * The config file: the whole configuration as one document a team keeps in git, matched to
 * what is saved by id when it has one, else by name. Each object reuses the Admin API's own
 * create schema, so a file and a POST accept and refuse the same things.
 */
export const CONFIG_FILE_VERSION = 1;

const idOf = (kind: IdKind) =>
  z
    .string()
    .regex(new RegExp(`^${ID_PREFIXES[kind]}_[A-Za-z0-9]{4,40}$`), `An id here looks like ${ID_PREFIXES[kind]}_…`)
    .optional()
    .meta({ description: "Optional: keeps the object's identity (and what refers to it) across renames" });

/** A policy in the file: where it is attached is where it is written. One of each type per place. */
export const filePolicySchema = z.strictObject({
  id: idOf("policy"),
  type: policyCreateSchema.shape.type,
  enabled: policyCreateSchema.shape.enabled,
  config: policyCreateSchema.shape.config.meta({
    description:
      "The policy's config. Write-only fields (a JWT secret) are left out of a dump; left out of a file, the saved value is kept. A pool may be named by name or id.",
  }),
});
export type FilePolicy = z.output<typeof filePolicySchema>;

const policiesField = z.array(filePolicySchema).max(50).default([]);

export const fileRouteSchema = routeInputSchema.safeExtend({ id: idOf("route"), policies: policiesField });
export type FileRoute = z.output<typeof fileRouteSchema>;

export const fileUpstreamSchema = upstreamCreateSchema.extend({ id: idOf("upstream") });
export type FileUpstream = z.output<typeof fileUpstreamSchema>;

const apiFields = apiCreateSchema.shape;
export const fileApiSchema = z.strictObject({
  id: idOf("api"),
  name: apiFields.name,
  description: apiFields.description,
  enabled: apiFields.enabled,
  tags: apiFields.tags,
  upstream: nameSchema.meta({ title: "Upstream", description: "The name of a pool in this file's upstreams" }),
  routes: z.array(fileRouteSchema).min(1, "Add at least one route").max(100),
  policies: policiesField,
});
export type FileApi = z.output<typeof fileApiSchema>;

export const filePlanSchema = planCreateSchema.extend({ id: idOf("plan") });
export type FilePlan = z.output<typeof filePlanSchema>;

/** A key is never in a file: only a reference to one, so a reader sees who holds which keys. */
export const fileKeyReferenceSchema = z.strictObject({
  id: z.string(),
  prefix: z.string(),
  name: z.string(),
});

const consumerFields = consumerCreateSchema.shape;
export const fileConsumerSchema = z.strictObject({
  id: idOf("consumer"),
  name: consumerFields.name,
  metadata: consumerFields.metadata,
  groups: consumerFields.groups,
  plan: nameSchema.nullable().default(null).meta({ description: "The name of a plan in this file's plans" }),
  policies: policiesField,
  keys: z
    .array(fileKeyReferenceSchema)
    .max(10_000)
    .default([])
    .meta({ description: "The consumer's keys, as references only; read when dumped, never applied" }),
});
export type FileConsumer = z.output<typeof fileConsumerSchema>;

export const configFileSchema = z.strictObject({
  version: z.literal(CONFIG_FILE_VERSION, `This file format is version ${CONFIG_FILE_VERSION}`),
  upstreams: z.array(fileUpstreamSchema).max(10_000).default([]),
  apis: z.array(fileApiSchema).max(10_000).default([]),
  plans: z.array(filePlanSchema).max(1_000).default([]),
  consumers: z.array(fileConsumerSchema).max(100_000).default([]),
  policies: policiesField.meta({ description: "Global policies: they apply to every API" }),
});
export type ConfigFile = z.output<typeof configFileSchema>;
export type ConfigFileInput = z.input<typeof configFileSchema>;

/** The kinds of object a file holds: what a diff, a revision and a rollback are made of. */
export const CONFIG_OBJECT_KINDS = ["upstream", "api", "plan", "consumer", "policy"] as const;
export type ConfigObjectKind = (typeof CONFIG_OBJECT_KINDS)[number];

export const configApplyOptionsSchema = z.strictObject({
  dryRun: z.boolean().default(false).meta({ description: "Plan only: answer what would change, change nothing" }),
  selectTag: z
    .string()
    .trim()
    .min(1)
    .max(50)
    .optional()
    .meta({ description: "Manage only APIs and upstreams with this tag; everything else is left alone" }),
  prune: z
    .boolean()
    .default(true)
    .meta({ description: "Delete what the file leaves out (false: create and update only)" }),
});

export const configApplyRequestSchema = configApplyOptionsSchema.extend({
  config: z
    .union([z.string().max(50_000_000), z.record(z.string(), z.unknown())])
    .meta({ description: "The config file: YAML or JSON text, or the document as JSON" }),
});
export type ConfigApplyRequest = z.input<typeof configApplyRequestSchema>;

export const CONFIG_CHANGE_ACTIONS = ["create", "update", "delete"] as const;

export const configChangeSchema = z.object({
  action: z.enum(CONFIG_CHANGE_ACTIONS),
  kind: z.enum(CONFIG_OBJECT_KINDS),
  id: z.string().nullable().meta({ description: "Null for an object the apply will create without an id" }),
  name: z.string().meta({ description: "The object's name; a global policy is named by its type" }),
  fields: z
    .array(z.string())
    .meta({ description: "For an update: the paths that differ, e.g. routes[orders].paths, policies[cors].config" }),
  before: z.unknown().nullable().meta({ description: "The object as saved, in file form" }),
  after: z.unknown().nullable().meta({ description: "The object as the file has it" }),
});
export type ConfigChange = z.infer<typeof configChangeSchema>;

export const configPlanSchema = z.object({
  revision: z.int().meta({ description: "The revision the plan was made against (dry run) or the new one (apply)" }),
  applied: z.boolean().meta({ description: "True when the change was saved (not a dry run, and something differed)" }),
  changes: z.array(configChangeSchema),
  summary: z.object({ create: z.int(), update: z.int(), delete: z.int() }),
});
export type ConfigPlan = z.infer<typeof configPlanSchema>;

export const REVISION_SOURCES = ["console", "api", "file", "rollback", "openapi"] as const;
export type RevisionSource = (typeof REVISION_SOURCES)[number];

export const revisionSummarySchema = z.object({
  revision: z.int(),
  at: z.string(),
  actor: z.string(),
  source: z.enum(REVISION_SOURCES),
  objects: z
    .array(
      z.object({
        kind: z.enum(CONFIG_OBJECT_KINDS),
        id: z.string(),
        name: z.string(),
        action: z.enum(CONFIG_CHANGE_ACTIONS),
      }),
    )
    .meta({ description: "The file objects the revision changed (keys, purges and node tokens are not file objects)" }),
  records: z.int().meta({ description: "Audit records in the revision" }),
});
export type RevisionSummary = z.infer<typeof revisionSummarySchema>;

export const revisionListQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  before: z.coerce.number().int().min(1).optional().meta({ description: "Only revisions below this one" }),
  objectId: z.string().trim().max(100).optional().meta({ description: "Only revisions that changed this object" }),
  kind: z.enum(CONFIG_OBJECT_KINDS).optional(),
});

export const revisionListSchema = z.object({
  data: z.array(revisionSummarySchema),
  historyStart: z.int().meta({ description: "The oldest revision a rollback can go back to" }),
});

export const revisionDetailSchema = revisionSummarySchema.extend({
  changes: z.array(configChangeSchema),
});
export type RevisionDetail = z.infer<typeof revisionDetailSchema>;

export const rollbackRequestSchema = z.strictObject({
  dryRun: z.boolean().default(false),
});
