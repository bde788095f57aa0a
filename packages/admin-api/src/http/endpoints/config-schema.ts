import { configFileJsonSchema } from "@gatehouse/policies/config-file-json-schema";
import type { Operation } from "../operations.ts";

/** The config file's JSON Schema, for editors and CI: the same one committed as gatehouse.config.schema.json. */
export function configSchemaOperations(): Operation[] {
  const text = JSON.stringify(configFileJsonSchema());
  return [
    {
      method: "get",
      path: "/config/schema.json",
      tag: "Config",
      summary: "The JSON Schema (draft 2020-12) of a config file, each policy with its own config schema",
      otherContent: { "application/schema+json": "The JSON Schema of a config file (gatehouse.config.schema.json)" },
      handler: ({ c }) => c.body(text, 200, { "content-type": "application/schema+json" }),
    },
  ];
}
