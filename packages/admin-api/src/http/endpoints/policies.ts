import {
  POLICY_SCHEMAS,
  type PolicyType,
  policyAnswerSchema,
  policyCreateUnionSchema,
  policyTypeSchema,
} from "@gatehouse/policies/schemas";
import { policyListQuerySchema, policyPatchSchema } from "@gatehouse/shared";
import { z } from "zod";
import { createPolicy, deletePolicy, getPolicy, listPolicies, updatePolicy } from "../../services/index.ts";
import type { Operation } from "../operations.ts";

const p = (params: Record<string, string>, key: string) => params[key] as string;

/** Computed once: the schemas do not change while the process runs. */
const policyTypes: PolicyType[] = POLICY_SCHEMAS.map((schema) => ({
  type: schema.type,
  title: schema.title,
  description: schema.description,
  phase: schema.phase,
  scopes: [...schema.scopes],
  configSchema: z.toJSONSchema(schema.config, { io: "input", unrepresentable: "any" }),
}));

export const policyOperations: Operation[] = [
  {
    method: "get",
    path: "/policy-types",
    tag: "Policies",
    summary: "The policies this gateway has, with the JSON Schema of each one's config",
    response: z.object({ data: z.array(policyTypeSchema) }),
    handler: () => ({ data: policyTypes }),
  },
  {
    method: "get",
    path: "/policies",
    tag: "Policies",
    summary: "List policies, filtered by where they are attached or by type",
    query: policyListQuerySchema,
    response: z.object({ data: z.array(policyAnswerSchema) }),
    handler: ({ ctx, query }) => listPolicies(ctx.db, query),
  },
  {
    method: "post",
    path: "/policies",
    errors: { 409: "A policy of this type is already attached there" },
    tag: "Policies",
    summary: "Attach a policy globally (no apiId, routeId or consumerId) or to one API, route or consumer",
    body: policyCreateUnionSchema,
    response: policyAnswerSchema,
    status: 201,
    handler: ({ ctx, body }) => createPolicy(ctx, body),
  },
  {
    method: "get",
    path: "/policies/:id",
    tag: "Policies",
    summary: "Get a policy (secrets left out)",
    response: policyAnswerSchema,
    handler: ({ ctx, params }) => getPolicy(ctx.db, p(params, "id")),
  },
  {
    method: "patch",
    path: "/policies/:id",
    tag: "Policies",
    summary: "Switch a policy on or off, or change its config (merged into the saved one)",
    body: policyPatchSchema,
    response: policyAnswerSchema,
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
