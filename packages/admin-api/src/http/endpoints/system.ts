import { auditLog, currentRevision } from "@gatehouse/db";
import {
  auditEntrySchema,
  type GatewayStatus,
  gatewayAnswerSchema,
  gatewayCallSchema,
  gatewayStatusSchema,
  revisionSchema,
} from "@gatehouse/shared";
import { desc, lt } from "drizzle-orm";
import { z } from "zod";
import { parseInput } from "../../services/context.ts";
import { callGateway } from "../../services/gateway/call-gateway.ts";
import type { AdminApiDeps } from "../env.ts";
import type { Operation } from "../operations.ts";

const auditQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  before: z.coerce.number().int().min(1).optional().meta({ description: "Only revisions below this one" }),
});

async function gatewayStatus(deps: AdminApiDeps, configRevision: number): Promise<GatewayStatus> {
  if (!deps.gatewayStatusUrl)
    return { reachable: false, revision: null, configRevision, error: "No gateway status URL configured" };
  try {
    const response = await fetch(new URL("/readyz", deps.gatewayStatusUrl), { signal: AbortSignal.timeout(1500) });
    const body = (await response.json()) as { revision?: unknown; error?: unknown };
    return {
      reachable: true,
      revision: typeof body.revision === "number" ? body.revision : null,
      configRevision,
      error: typeof body.error === "string" ? body.error : null,
    };
  } catch (error) {
    return {
      reachable: false,
      revision: null,
      configRevision,
      error: `Gateway unreachable: ${(error as Error).message}`,
    };
  }
}

export function systemOperations(deps: AdminApiDeps): Operation[] {
  return [
    {
      method: "get",
      path: "/revision",
      tag: "System",
      summary: "The current config revision",
      response: revisionSchema,
      handler: ({ ctx }) => ({ revision: currentRevision(ctx.db) }),
    },
    {
      method: "get",
      path: "/gateway/status",
      tag: "System",
      summary: "Which revision the gateway serves, next to the saved one",
      response: gatewayStatusSchema,
      handler: ({ ctx }) => gatewayStatus(deps, currentRevision(ctx.db)),
    },
    {
      method: "post",
      path: "/gateway/call",
      tag: "System",
      summary: "Send one request through the gateway and read its answer, as a client would get it",
      body: gatewayCallSchema,
      response: gatewayAnswerSchema,
      handler: ({ body }) => callGateway(deps.gatewayProxyUrl, body),
    },
    {
      method: "get",
      path: "/audit",
      tag: "System",
      summary: "The audit log, newest first: who changed what, before and after",
      query: auditQuerySchema,
      response: z.object({ data: z.array(auditEntrySchema) }),
      handler: ({ ctx, query }) => {
        const { limit, before } = parseInput(auditQuerySchema, query);
        const data = ctx.db
          .select()
          .from(auditLog)
          .where(before ? lt(auditLog.revision, before) : undefined)
          .orderBy(desc(auditLog.revision))
          .limit(limit)
          .all();
        return { data };
      },
    },
  ];
}
