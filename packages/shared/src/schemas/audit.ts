import { z } from "zod";
import { REVISION_SOURCES } from "./config-file.ts";

export const AUDIT_ACTIONS = ["create", "update", "delete"] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];
/** What a config change was made to: the Admin API writes one of these per change, the gateway reloads by them. */
export const AUDIT_ENTITY_TYPES = [
  "api",
  "route",
  "upstream",
  "target",
  "consumer",
  "api_key",
  "plan",
  "policy",
  "node_token",
  "cache_purge",
  "certificate",
] as const;
export type AuditEntityType = (typeof AUDIT_ENTITY_TYPES)[number];

export const auditEntrySchema = z.object({
  id: z.int(),
  revision: z.int().meta({ description: "The config revision; the records of one write (a file apply) share it" }),
  at: z.string(),
  actor: z.string(),
  source: z.enum(REVISION_SOURCES),
  action: z.enum(AUDIT_ACTIONS),
  entityType: z.enum(AUDIT_ENTITY_TYPES),
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
