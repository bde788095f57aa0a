import type { PolicyRow } from "@gatehouse/db";
import {
  findPolicySchema,
  POLICY_SCHEMAS,
  type Scope,
  withoutRedacted,
  writeOnlyFields,
} from "@gatehouse/policies/schemas";
import { type FieldError, type FilePolicy, fieldErrors, newId } from "@gatehouse/shared";

export interface Place {
  scope: Scope;
  apiId: string | null;
  routeId: string | null;
  consumerId: string | null;
}

/** What every object of one apply resolves against. */
export interface ResolveEnv {
  /** Turns a pool's name (or id) into the id that is saved, or undefined. */
  upstreamId: (nameOrId: string) => string | undefined;
  /** Ids of saved rows: a file's id for a new row is only kept when no other row has it. */
  savedIds: ReadonlySet<string>;
  errors: FieldError[];
  now: string;
}

/**
 * The policies one place (global, an API, a route, a consumer) ends up with, as rows. A
 * policy keeps its saved id; a write-only field (a secret) left out of the file, or sent back
 * masked as a dump shows it, keeps its saved value.
 */
export function desiredPolicies(
  base: string,
  file: readonly FilePolicy[],
  saved: readonly PolicyRow[],
  place: Place,
  { upstreamId, savedIds, errors, now }: ResolveEnv,
): PolicyRow[] {
  const types = new Map<string, number>();
  const rows: PolicyRow[] = [];
  file.forEach((policy, index) => {
    const at = `${base}.${index}`;
    const schema = findPolicySchema(policy.type);
    if (!schema) {
      const known = POLICY_SCHEMAS.map((s) => s.type).join(", ");
      errors.push({ path: `${at}.type`, message: `Unknown policy type; one of ${known}` });
      return;
    }
    if (!schema.scopes.includes(place.scope)) {
      errors.push({ path: `${at}.type`, message: `${schema.title} can be attached to: ${schema.scopes.join(", ")}` });
      return;
    }
    const again = types.get(policy.type);
    if (again !== undefined) {
      errors.push({ path: `${at}.type`, message: `${base}.${again} is a ${policy.type} policy too; one per place` });
      return;
    }
    types.set(policy.type, index);
    const current = saved.find((row) => row.type === policy.type);
    let config = policy.config;
    if (current) {
      const sent = withoutRedacted(schema.config, current.config, policy.config);
      const writeOnly = new Set(writeOnlyFields(schema.config));
      const kept = Object.entries(current.config).filter(
        ([name]) => !(name in sent) && (writeOnly.has(name) || name in policy.config),
      );
      config = { ...Object.fromEntries(kept), ...sent };
    }
    for (const field of schema.upstreamFields ?? []) {
      const value = config[field];
      if (typeof value !== "string") continue;
      const id = upstreamId(value);
      if (id === undefined) {
        errors.push({ path: `${at}.config.${field}`, message: `No upstream named ${value} in the file or the config` });
        return;
      }
      config = { ...config, [field]: id };
    }
    const parsed = schema.config.safeParse(config);
    if (!parsed.success) {
      for (const e of fieldErrors(parsed.error))
        errors.push({ ...e, path: e.path ? `${at}.config.${e.path}` : `${at}.config` });
      return;
    }
    rows.push({
      id: current?.id ?? (policy.id !== undefined && !savedIds.has(policy.id) ? policy.id : newId("policy")),
      type: policy.type,
      apiId: place.apiId,
      routeId: place.routeId,
      consumerId: place.consumerId,
      enabled: policy.enabled,
      config: parsed.data as Record<string, unknown>,
      createdAt: current?.createdAt ?? now,
      updatedAt: current?.updatedAt ?? now,
    });
  });
  return rows;
}
