import { POLICY_SCHEMAS } from "@gatehouse/policies/schemas";
import { policyCreateSchema, policyListQuerySchema, policyPatchSchema, policySchema } from "@gatehouse/shared";
import { z } from "zod";
import { createPolicy, deletePolicy, getPolicy, listPolicies, updatePolicy } from "../../services/index.ts";
import type { Operation } from "../operations.ts";

const p = (params: Record<string, string>, key: string) => params[key] as string;

/** Computed once: the schemas do not change while the process runs. */
const policyTypes = POLICY_SCHEMAS.map((schema) => ({
  type: schema.type,
  title: schema.title,
  description: schema.description,
  phase: schema.phase,
  scopes: schema.scopes,
  configSchema: z.toJSONSchema(schema.config, { io: "input", unrepresentable: "any" }),
}));

export const policyOperations: Operation[] = [
  {
    method: "get",
    path: "/policy-types",
    tag: "Policies",
    summary: "The policies this gateway has, with the JSON Schema of each one's config",
    handler: () => ({ data: policyTypes }),
  },
  {
    method: "get",
    path: "/policies",
    tag: "Policies",
    summary: "List policies, filtered by where they are attached or by type",
    query: policyListQuerySchema,
    response: z.object({ data: z.array(policySchema) }),
    handler: ({ ctx, query }) => listPolicies(ctx.db, query),
  },
  {
    method: "post",
    path: "/policies",
    tag: "Policies",
    summary: "Attach a policy globally (no apiId, routeId or consumerId) or to one API, route or consumer",
    body: policyCreateSchema,
    response: policySchema,
    status: 201,
    handler: ({ ctx, body }) => createPolicy(ctx, body),
  },
  {
    method: "get",
    path: "/policies/:id",
    tag: "Policies",
    summary: "Get a policy (secrets left out)",
    response: policySchema,
    handler: ({ ctx, params }) => getPolicy(ctx.db, p(params, "id")),
  },
  {
    method: "patch",
    path: "/policies/:id",
    tag: "Policies",
    summary: "Switch a policy on or off, or change its config (merged into the saved one)",
    body: policyPatchSchema,
    response: policySchema,
    handler: ({ ctx, params, body }) => updatePolicy(ctx, p(params, "id"), body),
  },
  {
    method: "delete",
    path: "/policies/:id",
    tag: "Policies",
    summary: "Detach and delete a policy",
    status: 204,
    handler: ({ ctx, params }) => deletePolicy(ctx, p(params, "id")),
  },
];
