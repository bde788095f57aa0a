import { type FieldError, fieldErrors } from "@gatehouse/shared";
import { writeOnlyFields } from "./redact.ts";
import { findPolicySchema, POLICY_SCHEMAS } from "./schemas.ts";
import type { PolicySchema, Scope } from "./types.ts";

/**
 * The checks a config file's policy gets wherever the file is read (offline by the CLI, or by
 * the Admin API's apply): its type is known, it may sit at `scope`, and its config passes its
 * own schema. Errors name the policy at `at` (e.g. `apis.0.policies.1`).
 */
export function policySchemaAt(
  at: string,
  type: string,
  scope: Scope,
): { schema: PolicySchema } | { error: FieldError } {
  const schema = findPolicySchema(type);
  if (!schema) {
    const known = POLICY_SCHEMAS.map((s) => s.type).join(", ");
    return { error: { path: `${at}.type`, message: `Unknown policy type; one of ${known}` } };
  }
  if (!schema.scopes.includes(scope)) {
    return {
      error: { path: `${at}.type`, message: `${schema.title} can be attached to: ${schema.scopes.join(", ")}` },
    };
  }
  return { schema };
}

/**
 * The config as its schema makes it, or its errors under `<at>.config`. With `secretsKept`, a
 * write-only field the config leaves out (a dump leaves secrets out) is not required: the
 * saved value stands in for it.
 */
export function checkPolicyConfig(
  at: string,
  schema: PolicySchema,
  config: Record<string, unknown>,
  secretsKept = false,
): { config: Record<string, unknown> } | { errors: FieldError[] } {
  const result = schema.config.safeParse(config);
  if (result.success) return { config: result.data as Record<string, unknown> };
  const omitted = new Set(secretsKept ? writeOnlyFields(schema.config).filter((field) => !(field in config)) : []);
  return {
    errors: fieldErrors(result.error)
      .filter((error) => !omitted.has(error.path.split(".")[0] as string))
      .map((error) => ({ ...error, path: error.path ? `${at}.config.${error.path}` : `${at}.config` })),
  };
}
