import { apis, type ConfigDb, consumers, type PolicyRow, policies, routes } from "@gatehouse/db";
import {
  findPolicySchema,
  POLICY_SCHEMAS,
  type PolicySchema,
  redactConfig,
  type Scope,
  withoutRedacted,
} from "@gatehouse/policies/schemas";
import {
  conflict,
  type FieldError,
  fieldErrors,
  GatehouseError,
  newId,
  notFound,
  type Policy,
  policyCreateSchema,
  policyListQuerySchema,
  policyPatchSchema,
} from "@gatehouse/shared";
import { and, asc, type Column, eq, isNull, type SQL } from "drizzle-orm";
import { recordChange } from "../audit.ts";
import { now, parseInput, type ServiceContext, type Tx } from "../context.ts";
import { checkLogFile } from "./policy-log-file.ts";
import { checkPolicyUpstreams } from "./policy-upstreams.ts";

type Reader = Pick<ConfigDb, "select">;

const invalid = (fields: FieldError[]) =>
  new GatehouseError("validation_failed", "The request has invalid fields", fields);

function schemaOf(type: string, field = "type"): PolicySchema {
  const schema = findPolicySchema(type);
  if (!schema) {
    const known = POLICY_SCHEMAS.map((s) => s.type).join(", ");
    throw invalid([{ path: field, message: `Unknown policy type; one of ${known}` }]);
  }
  return schema;
}

function toPolicy(row: PolicyRow): Policy {
  const schema = findPolicySchema(row.type);
  return { ...row, config: schema ? redactConfig(schema.config, row.config) : {} };
}

/** The policy's own schema checks the config; its errors point into `config`. */
function validConfig(schema: PolicySchema, config: unknown): Record<string, unknown> {
  const result = schema.config.safeParse(config);
  if (!result.success) {
    throw invalid(fieldErrors(result.error).map((e) => ({ ...e, path: e.path ? `config.${e.path}` : "config" })));
  }
  return result.data as Record<string, unknown>;
}

interface Attachment {
  apiId: string | null;
  routeId: string | null;
  consumerId: string | null;
}

function checkAttachment(tx: Reader, schema: PolicySchema, at: Attachment): void {
  const named = (["apiId", "routeId", "consumerId"] as const).filter((field) => at[field] !== null);
  if (named.length > 1) {
    throw invalid(
      named.map((path) => ({ path, message: "Attach a policy to one API, route or consumer, not several" })),
    );
  }
  const field = named[0];
  const scope: Scope =
    field === undefined ? "global" : field === "apiId" ? "api" : field === "routeId" ? "route" : "consumer";
  if (!schema.scopes.includes(scope)) {
    throw invalid([
      { path: field ?? "type", message: `${schema.title} can be attached to: ${schema.scopes.join(", ")}` },
    ]);
  }
  const exists =
    field === "apiId"
      ? tx
          .select({ id: apis.id })
          .from(apis)
          .where(eq(apis.id, at.apiId as string))
          .get()
      : field === "routeId"
        ? tx
            .select({ id: routes.id })
            .from(routes)
            .where(eq(routes.id, at.routeId as string))
            .get()
        : field === "consumerId"
          ? tx
              .select({ id: consumers.id })
              .from(consumers)
              .where(eq(consumers.id, at.consumerId as string))
              .get()
          : true;
  if (field !== undefined && !exists) throw invalid([{ path: field, message: `No such ${scope}` }]);
}

/** Where a policy sits, as the console names it: `API "Orders"`, `consumer "acme"`, everywhere. */
function placeOf(tx: Reader, at: Attachment): string {
  if (at.apiId !== null) {
    const api = tx.select({ name: apis.name }).from(apis).where(eq(apis.id, at.apiId)).get();
    return `API "${api?.name ?? at.apiId}"`;
  }
  if (at.routeId !== null) {
    const route = tx
      .select({ name: routes.name, paths: routes.paths, api: apis.name })
      .from(routes)
      .innerJoin(apis, eq(apis.id, routes.apiId))
      .where(eq(routes.id, at.routeId))
      .get();
    return route ? `route ${route.name ? `"${route.name}"` : route.paths.join(", ")} of API "${route.api}"` : "route";
  }
  if (at.consumerId !== null) {
    const consumer = tx.select({ name: consumers.name }).from(consumers).where(eq(consumers.id, at.consumerId)).get();
    return `consumer "${consumer?.name ?? at.consumerId}"`;
  }
  return "every API (global)";
}

function assertFreeSlot(tx: Reader, schema: PolicySchema, at: Attachment, exceptId?: string) {
  const same = (column: Column, value: string | null) => (value === null ? isNull(column) : eq(column, value));
  const clash = tx
    .select({ id: policies.id })
    .from(policies)
    .where(
      and(
        eq(policies.type, schema.type),
        same(policies.apiId, at.apiId),
        same(policies.routeId, at.routeId),
        same(policies.consumerId, at.consumerId),
      ),
    )
    .get();
  if (clash && clash.id !== exceptId) {
    throw conflict(`${schema.title} is already attached to ${placeOf(tx, at)}; change that policy instead`, [
      { path: "type", message: "Already attached here" },
    ]);
  }
}

function policyRow(db: Reader, id: string): PolicyRow {
  const row = db.select().from(policies).where(eq(policies.id, id)).get();
  if (!row) throw notFound("Policy", id);
  return row;
}

export function getPolicy(db: Reader, id: string): Policy {
  return toPolicy(policyRow(db, id));
}

export function listPolicies(db: Reader, query: unknown): { data: Policy[] } {
  const filter = parseInput(policyListQuerySchema, query);
  const where: SQL[] = [];
  if (filter.apiId) where.push(eq(policies.apiId, filter.apiId));
  if (filter.routeId) where.push(eq(policies.routeId, filter.routeId));
  if (filter.consumerId) where.push(eq(policies.consumerId, filter.consumerId));
  if (filter.type) where.push(eq(policies.type, filter.type));
  const rows = db
    .select()
    .from(policies)
    .where(where.length > 0 ? and(...where) : undefined)
    .orderBy(asc(policies.createdAt), asc(policies.id))
    .all();
  return { data: rows.map(toPolicy) };
}

export function createPolicy(ctx: ServiceContext, input: unknown): Policy {
  return ctx.db.transaction((tx) => insertPolicy(tx, ctx, input));
}

/** Creates a policy in the caller's transaction, so several writes can make one change. */
export function insertPolicy(tx: Tx, ctx: ServiceContext, input: unknown): Policy {
  const { type, config, ...rest } = parseInput(policyCreateSchema, input);
  const schema = schemaOf(type);
  const parsed = validConfig(schema, config);
  checkAttachment(tx, schema, rest);
  checkPolicyUpstreams(tx, schema, parsed);
  checkLogFile(schema, parsed);
  assertFreeSlot(tx, schema, rest);
  const id = newId("policy");
  tx.insert(policies)
    .values({ ...rest, id, type, config: parsed })
    .run();
  const created = getPolicy(tx, id);
  recordChange(tx, ctx, { action: "create", entityType: "policy", entityId: id, before: null, after: created });
  return created;
}

/** `config` merges into the saved one, so a form that cannot show a secret does not erase it. */
export function updatePolicy(ctx: ServiceContext, id: string, input: unknown): Policy {
  return ctx.db.transaction((tx) => changePolicy(tx, ctx, id, input));
}

/** Changes a policy in the caller's transaction, so several writes can make one change. */
export function changePolicy(tx: Tx, ctx: ServiceContext, id: string, input: unknown): Policy {
  const patch = parseInput(policyPatchSchema, input);
  const row = policyRow(tx, id);
  const before = toPolicy(row);
  const schema = schemaOf(row.type);
  const config =
    patch.config === undefined
      ? row.config
      : validConfig(schema, { ...row.config, ...withoutRedacted(schema.config, row.config, patch.config) });
  if (patch.config !== undefined) {
    checkPolicyUpstreams(tx, schema, config);
    checkLogFile(schema, config);
  }
  tx.update(policies)
    .set({ enabled: patch.enabled ?? row.enabled, config, updatedAt: now() })
    .where(eq(policies.id, id))
    .run();
  const after = getPolicy(tx, id);
  recordChange(tx, ctx, { action: "update", entityType: "policy", entityId: id, before, after });
  return after;
}

export function deletePolicy(ctx: ServiceContext, id: string): void {
  ctx.db.transaction((tx) => {
    const before = getPolicy(tx, id);
    tx.delete(policies).where(eq(policies.id, id)).run();
    recordChange(tx, ctx, { action: "delete", entityType: "policy", entityId: id, before, after: null });
  });
}
