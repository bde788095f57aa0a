import { configFileSchema, filePolicySchema } from "@gatehouse/shared";
import { z } from "zod";
import { POLICY_SCHEMAS, type PolicySchema } from "./schemas.ts";

type JsonSchema = Record<string, unknown>;

/**
 * A policy of one type as a file writes it, with that policy's own config schema. A config zod
 * cannot write as JSON Schema (a transform, a custom type) is left an open object: the file's
 * check still reads it, an editor just cannot help with it.
 */
function policyBranch(schema: PolicySchema) {
  const type = z.literal(schema.type).meta({ title: schema.title, description: schema.description });
  const branch = filePolicySchema.extend({ type, config: schema.config.prefault({}).meta({ title: "Config" }) });
  try {
    z.toJSONSchema(branch, { io: "input", unrepresentable: "throw" });
    return branch;
  } catch {
    return filePolicySchema.extend({ type });
  }
}

type Branch = ReturnType<typeof policyBranch>;

/** Every policy a file may hold, chosen by `type`; written once into `$defs` and referred to from each place. */
const policyItemSchema = z
  .discriminatedUnion("type", POLICY_SCHEMAS.map(policyBranch) as [Branch, Branch, ...Branch[]])
  .meta({ id: "policy", title: "Policy" });

/**
 * The JSON Schema (draft 2020-12) of a config file, from the same zod schemas the Admin API and
 * `gatehouse config validate` check it with, each policy with its own type's config schema so an
 * editor completes and checks it. Committed at the repository's root as
 * gatehouse.config.schema.json and served at /api/v1/config/schema.json.
 */
export function configFileJsonSchema(): JsonSchema {
  // Converted together so the file and the policy union share one `$defs`; the file's policy
  // items (the shared schema's open `config`) are pointed at the union instead.
  const { $schema, properties, $defs } = z.toJSONSchema(
    z.object({ file: configFileSchema, policy: policyItemSchema }),
    {
      io: "input",
      unrepresentable: "any",
      override: ({ zodSchema, jsonSchema }) => {
        if (zodSchema !== filePolicySchema) return;
        for (const key of Object.keys(jsonSchema)) delete jsonSchema[key];
        jsonSchema.$ref = "#/$defs/policy";
      },
    },
  );
  return { $schema, title: "Gatehouse config file", ...(properties?.file as JsonSchema), $defs };
}
