import { listQuerySchema, planCreateSchema, planPatchSchema, planSchema } from "@gatehouse/shared";
import { z } from "zod";
import { createPlan, deletePlan, getPlan, listPlans, updatePlan } from "../../services/index.ts";
import type { Operation } from "../operations.ts";

const p = (params: Record<string, string>, key: string) => params[key] as string;

export const planOperations: Operation[] = [
  {
    method: "get",
    path: "/plans",
    tag: "Plans",
    summary: "List plans",
    query: listQuerySchema,
    response: z.object({ data: z.array(planSchema) }),
    handler: ({ ctx, query }) => listPlans(ctx.db, query),
  },
  {
    method: "post",
    path: "/plans",
    errors: { 409: "The name is taken" },
    tag: "Plans",
    summary: "Create a plan: limits and a quota its consumers get unless a key has its own",
    body: planCreateSchema,
    response: planSchema,
    status: 201,
    handler: ({ ctx, body }) => createPlan(ctx, body),
  },
  {
    method: "get",
    path: "/plans/:id",
    tag: "Plans",
    summary: "Get a plan",
    response: planSchema,
    handler: ({ ctx, params }) => getPlan(ctx.db, p(params, "id")),
  },
  {
    method: "patch",
    path: "/plans/:id",
    errors: { 409: "The name is taken" },
    tag: "Plans",
    summary: "Change a plan; its consumers get the new limits at once",
    body: planPatchSchema,
    response: planSchema,
    handler: ({ ctx, params, body }) => updatePlan(ctx, p(params, "id"), body),
  },
  {
    method: "delete",
    path: "/plans/:id",
    errors: { 409: "Consumers are on the plan" },
    tag: "Plans",
    summary: "Delete a plan (refused with 409 while consumers are on it)",
    status: 204,
    handler: ({ ctx, params }) => deletePlan(ctx, p(params, "id")),
  },
];
