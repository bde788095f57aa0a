import { sql } from "drizzle-orm";
import type { ConfigDb } from "./client.ts";
import { auditLog } from "./schema/audit-log.ts";

export function currentRevision(db: ConfigDb): number {
  const row = db
    .select({ revision: sql<number | null>`max(${auditLog.revision})` })
    .from(auditLog)
    .get();
  return row?.revision ?? 0;
}
