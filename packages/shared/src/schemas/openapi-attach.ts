import { z } from "zod";
import { HTTP_METHODS } from "./route.ts";

/** An OpenAPI document is read up to this size: Petstore is 10 kB, large public APIs a few MB. */
export const OPENAPI_DOCUMENT_MAX_BYTES = 8 * 1024 * 1024;

export const openApiAttachSchema = z.strictObject({
  document: z.union([z.string().min(1).max(OPENAPI_DOCUMENT_MAX_BYTES), z.record(z.string(), z.unknown())]).meta({
    title: "OpenAPI document",
    description: "An OpenAPI 3.0 or 3.1 document, as a JSON object or as YAML/JSON text",
  }),
  dryRun: z
    .boolean()
    .default(false)
    .meta({ title: "Dry run", description: "Answer what would change and change nothing" }),
});
export type OpenApiAttach = z.input<typeof openApiAttachSchema>;

export const ATTACH_OUTCOMES = ["create", "update", "unchanged", "unmatched", "ambiguous"] as const;
export type AttachOutcome = (typeof ATTACH_OUTCOMES)[number];

export const attachedOperationSchema = z.object({
  method: z.enum(HTTP_METHODS),
  path: z.string().meta({ description: "The operation's path as the document writes it, e.g. /pets/{petId}" }),
  routeId: z.string().nullable(),
  outcome: z.enum(ATTACH_OUTCOMES),
  policyId: z
    .string()
    .nullable()
    .meta({ description: "The request-validation policy written or kept; null on a dry run's create" }),
  message: z.string().optional(),
});
export type AttachedOperation = z.infer<typeof attachedOperationSchema>;

export const openApiAttachResultSchema = z.object({
  revision: z
    .int()
    .nullable()
    .meta({ description: "The revision the change made; null on a dry run or when nothing changed" }),
  operations: z.array(attachedOperationSchema),
});
export type OpenApiAttachResult = z.infer<typeof openApiAttachResultSchema>;
