import { z } from "zod";

export const AUDIT_ACTIONS = ["create", "update", "delete"] as const;

export const auditEntrySchema = z.object({
  revision: z.int(),
  at: z.string(),
  actor: z.string(),
  action: z.enum(AUDIT_ACTIONS),
  entityType: z.string(),
  entityId: z.string(),
  before: z.unknown().nullable(),
  after: z.unknown().nullable(),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;

export const revisionSchema = z.object({ revision: z.int() });

export const gatewayStatusSchema = z.object({
  reachable: z.boolean(),
  revision: z.int().nullable(),
  configRevision: z.int(),
  error: z.string().nullable(),
});
export type GatewayStatus = z.infer<typeof gatewayStatusSchema>;
