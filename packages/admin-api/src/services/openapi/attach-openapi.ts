import { isDeepStrictEqual } from "node:util";
import { apis, policies, type RouteRow, routes } from "@gatehouse/db";
import { type AttachedOperation, notFound, type OpenApiAttachResult, openApiAttachSchema } from "@gatehouse/shared";
import { and, eq } from "drizzle-orm";
import { parseInput, type ServiceContext, type Tx } from "../context.ts";
import { changePolicy, insertPolicy } from "../policies/policy-verbs.ts";
import { documentOperations, routePath } from "./document-operations.ts";
import { type OpenApiDocument, readOpenApiDocument } from "./openapi-document.ts";
import type { ValidationParts } from "./operation-parts.ts";

const POLICY_TYPE = "request-validation";
const PART_NAMES = ["params", "query", "headers", "body"] as const;

interface Planned {
  op: AttachedOperation;
  parts: ValidationParts;
}

function operationsOf(document: OpenApiDocument, apiRoutes: RouteRow[]): Planned[] {
  return documentOperations(document).map(({ method, path, routePath: wanted, parts }) => {
    const serving = apiRoutes.filter(
      (route) =>
        route.paths.some((p) => routePath(p) === wanted) &&
        (route.methods.length === 0 || route.methods.includes(method)),
    );
    const op: AttachedOperation = { method, path, routeId: null, outcome: "unmatched", policyId: null };
    if (serving.length === 0) op.message = `No route of this API serves ${method} ${wanted}`;
    else if (serving.length > 1) {
      op.outcome = "ambiguous";
      op.message = `Several routes serve ${method} ${wanted}: ${serving.map((r) => r.id).join(", ")}`;
    } else op.routeId = (serving[0] as RouteRow).id;
    return { op, parts: parts() };
  });
}

type Parts = Partial<Record<(typeof PART_NAMES)[number], unknown>>;
const sameParts = (a: Parts, b: Parts) =>
  PART_NAMES.every((part) => isDeepStrictEqual(a[part] ?? null, b[part] ?? null));

/** Decides each route's outcome and, unless `dryRun`, writes it; operations keep the document's order. */
function attach(tx: Tx, ctx: ServiceContext, planned: Planned[], dryRun: boolean): AttachedOperation[] {
  const byRoute = new Map<string, Planned[]>();
  for (const p of planned) {
    if (p.op.routeId !== null) byRoute.set(p.op.routeId, [...(byRoute.get(p.op.routeId) ?? []), p]);
  }
  for (const [routeId, group] of byRoute) {
    const parts = (group[0] as Planned).parts;
    if (group.some((p) => !sameParts(p.parts, parts))) {
      const names = group.map((p) => `${p.op.method} ${p.op.path}`).join(", ");
      for (const { op } of group) {
        Object.assign(op, { outcome: "ambiguous", message: `The route serves ${names}, whose schemas differ` });
      }
      continue;
    }
    const existing = tx
      .select()
      .from(policies)
      .where(and(eq(policies.type, POLICY_TYPE), eq(policies.routeId, routeId)))
      .get();
    const nothingToCheck = PART_NAMES.every((part) => parts[part] === null);
    let outcome: AttachedOperation["outcome"] = "create";
    let policyId = existing?.id ?? null;
    if (existing ? sameParts(existing.config, parts) : nothingToCheck) outcome = "unchanged";
    else if (existing) outcome = "update";
    if (!dryRun && outcome === "create") {
      policyId = insertPolicy(tx, ctx, { type: POLICY_TYPE, routeId, config: { ...parts } }).id;
    } else if (!dryRun && outcome === "update") {
      changePolicy(tx, ctx, existing?.id as string, { config: { ...parts } });
    }
    for (const { op } of group) {
      Object.assign(op, { outcome, policyId });
      if (nothingToCheck && !existing) op.message = "The operation declares nothing to check";
    }
  }
  return planned.map((p) => p.op);
}

/**
 * Attaches a request-validation policy to each route of an API that serves operations of an
 * OpenAPI document, built from their parameters and JSON body; every write in one transaction.
 */
export function attachOpenApi(ctx: ServiceContext, apiId: string, input: unknown): OpenApiAttachResult {
  const { document, dryRun } = parseInput(openApiAttachSchema, input);
  return ctx.db.transaction((tx) => {
    if (!tx.select({ id: apis.id }).from(apis).where(eq(apis.id, apiId)).get()) throw notFound("API", apiId);
    const read = readOpenApiDocument(document);
    const apiRoutes = tx.select().from(routes).where(eq(routes.apiId, apiId)).all();
    const operations = attach(tx, ctx, operationsOf(read, apiRoutes), dryRun);
    return { revision: dryRun ? null : (ctx.revision ?? null), operations };
  });
}
