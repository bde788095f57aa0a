import { z } from "zod";
import type { PolicySchema } from "../types.ts";
import { REQUEST_PARTS, schemaProblem } from "./compile-schema.ts";

const MIB = 1024 * 1024;

const jsonSchema = (title: string, description: string) =>
  z
    .record(z.string(), z.unknown())
    .nullable()
    .optional()
    .meta({ title, description: `${description} A JSON Schema (draft 2020-12); none or null: not checked.` });

export const requestValidationSchema = {
  type: "request-validation",
  title: "Request validation",
  description:
    "Checks the body, query, path parameters and headers against JSON Schemas and refuses a request that fails with 400 before the upstream sees it.",
  phase: "validate",
  scopes: ["global", "api", "route", "consumer"],
  config: z
    .strictObject({
      body: jsonSchema("Body schema", "The JSON body; a body that is not JSON is refused."),
      query: jsonSchema(
        "Query schema",
        "An object of the query parameters; values are text coerced to the schema's types, a repeated parameter is an array.",
      ),
      params: jsonSchema(
        "Path parameters schema",
        "An object of the route's :parameters; values are text coerced to the schema's types.",
      ),
      headers: jsonSchema("Headers schema", "An object of the request headers; names are matched lower-case."),
      maxBodyBytes: z
        .int()
        .min(1)
        .max(64 * MIB)
        .default(MIB)
        .meta({
          title: "Largest body checked (bytes)",
          description: "A larger body is refused with 413; the body is held in memory while it is checked.",
        }),
    })
    .superRefine((config, ctx) => {
      for (const part of REQUEST_PARTS) {
        const schema = config[part];
        if (schema === undefined || schema === null) continue;
        const problem = schemaProblem(part, schema);
        if (problem !== undefined) ctx.addIssue({ code: "custom", path: [part], message: problem });
      }
    }),
} as const satisfies PolicySchema;
