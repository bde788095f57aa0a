import {
  listQuerySchema,
  pageSchema,
  targetInputSchema,
  targetPatchSchema,
  targetSchema,
  upstreamCreateSchema,
  upstreamHealthSchema,
  upstreamPatchSchema,
  upstreamSchema,
} from "@gatehouse/shared";
import { z } from "zod";
import type { AnalyticsReader } from "../../services/analytics/analytics-reader.ts";
import {
  addTarget,
  createUpstream,
  deleteUpstream,
  getUpstream,
  listTargets,
  listUpstreams,
  removeTarget,
  updateTarget,
  updateUpstream,
  upstreamHealth,
} from "../../services/index.ts";
import type { AdminApiDeps } from "../env.ts";
import type { Operation } from "../operations.ts";

const p = (params: Record<string, string>, key: string) => params[key] as string;

export const upstreamOperations = (deps: AdminApiDeps, analytics: AnalyticsReader): Operation[] => [
  {
    method: "get",
    path: "/upstreams",
    tag: "Upstreams",
    summary: "List upstream pools with their targets",
    query: listQuerySchema,
    response: pageSchema(upstreamSchema),
    handler: ({ ctx, query }) => listUpstreams(ctx.db, query),
  },
  {
    method: "post",
    path: "/upstreams",
    tag: "Upstreams",
    summary: "Create an upstream pool",
    body: upstreamCreateSchema,
    response: upstreamSchema,
    status: 201,
    handler: ({ ctx, body }) => createUpstream(ctx, body),
  },
  {
    method: "get",
    path: "/upstreams/:id",
    tag: "Upstreams",
    summary: "Get an upstream pool",
    response: upstreamSchema,
    handler: ({ ctx, params }) => getUpstream(ctx.db, p(params, "id")),
  },
  {
    method: "patch",
    path: "/upstreams/:id",
    tag: "Upstreams",
    summary: "Change an upstream pool's settings",
    body: upstreamPatchSchema,
    response: upstreamSchema,
    handler: ({ ctx, params, body }) => updateUpstream(ctx, p(params, "id"), body),
  },
  {
    method: "delete",
    path: "/upstreams/:id",
    tag: "Upstreams",
    summary: "Delete an upstream pool (refused with 409 while an API uses it)",
    status: 204,
    handler: ({ ctx, params }) => deleteUpstream(ctx, p(params, "id")),
  },
  {
    method: "get",
    path: "/upstreams/:id/health",
    tag: "Upstreams",
    summary: "Each target's live health as the gateway sees it, and its health changes (kept across gateway restarts)",
    response: upstreamHealthSchema,
    handler: ({ ctx, params }) => upstreamHealth(ctx.db, analytics, p(params, "id"), deps.gatewayStatusUrl),
  },
  {
    method: "get",
    path: "/upstreams/:id/targets",
    tag: "Upstreams",
    summary: "List a pool's targets",
    response: z.object({ data: z.array(targetSchema) }),
    handler: ({ ctx, params }) => ({ data: listTargets(ctx, p(params, "id")) }),
  },
  {
    method: "post",
    path: "/upstreams/:id/targets",
    tag: "Upstreams",
    summary: "Add a target to a pool",
    body: targetInputSchema,
    response: targetSchema,
    status: 201,
    handler: ({ ctx, params, body }) => addTarget(ctx, p(params, "id"), body),
  },
  {
    method: "patch",
    path: "/upstreams/:id/targets/:targetId",
    tag: "Upstreams",
    summary: "Change a target's URL, weight or enabled flag",
    body: targetPatchSchema,
    response: targetSchema,
    handler: ({ ctx, params, body }) => updateTarget(ctx, p(params, "id"), p(params, "targetId"), body),
  },
  {
    method: "delete",
    path: "/upstreams/:id/targets/:targetId",
    tag: "Upstreams",
    summary: "Remove a target (a pool keeps at least one)",
    status: 204,
    handler: ({ ctx, params }) => removeTarget(ctx, p(params, "id"), p(params, "targetId")),
  },
];
