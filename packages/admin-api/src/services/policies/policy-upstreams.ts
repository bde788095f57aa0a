import { type ConfigDb, policies, upstreams } from "@gatehouse/db";
import { findPolicySchema, POLICY_SCHEMAS, type PolicySchema } from "@gatehouse/policies/schemas";
import { GatehouseError } from "@gatehouse/shared";
import { eq, inArray } from "drizzle-orm";

type Reader = Pick<ConfigDb, "select">;

/** Every upstream a policy's config names (a canary, a mirror) must exist when it is saved. */
export function checkPolicyUpstreams(tx: Reader, schema: PolicySchema, config: Record<string, unknown>): void {
  for (const field of schema.upstreamFields ?? []) {
    const id = config[field];
    if (typeof id !== "string") continue;
    const found = tx.select({ id: upstreams.id }).from(upstreams).where(eq(upstreams.id, id)).get();
    if (!found) {
      throw new GatehouseError("validation_failed", "The request has invalid fields", [
        { path: `config.${field}`, message: "No such upstream" },
      ]);
    }
  }
}

const TYPES_NAMING_UPSTREAMS = POLICY_SCHEMAS.filter((schema) => (schema.upstreamFields ?? []).length > 0).map(
  (schema) => schema.type,
);

/** The policies whose config names the upstream, as "<title> <id>", so a delete can say what holds it. */
export function policiesNamingUpstream(tx: Reader, upstreamId: string): string[] {
  if (TYPES_NAMING_UPSTREAMS.length === 0) return [];
  const rows = tx
    .select({ id: policies.id, type: policies.type, config: policies.config })
    .from(policies)
    .where(inArray(policies.type, TYPES_NAMING_UPSTREAMS))
    .all();
  return rows
    .filter((row) => {
      const fields = findPolicySchema(row.type)?.upstreamFields ?? [];
      return fields.some((field) => row.config[field] === upstreamId);
    })
    .map((row) => `${findPolicySchema(row.type)?.title ?? row.type} policy ${row.id}`);
}
