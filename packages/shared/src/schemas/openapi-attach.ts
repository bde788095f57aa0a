import { z } from "zod";
import { nameSchema } from "./common.ts";
import { HTTP_METHODS } from "./route.ts";

/** An OpenAPI document is read up to this size: Petstore is 10 kB, large public APIs a few MB. */
export const OPENAPI_DOCUMENT_MAX_BYTES = 8 * 1024 * 1024;

const documentField = z
  .union([z.string().min(1).max(OPENAPI_DOCUMENT_MAX_BYTES), z.record(z.string(), z.unknown())])
  .meta({
    title: "OpenAPI document",
    description: "An OpenAPI 3.0 or 3.1 document, as a JSON object or as YAML/JSON text",
  });
const dryRunField = z
  .boolean()
  .default(false)
  .meta({ title: "Dry run", description: "Answer what would change and change nothing" });

export const openApiAttachSchema = z.strictObject({ document: documentField, dryRun: dryRunField });
export type OpenApiAttach = z.input<typeof openApiAttachSchema>;

/** Importing makes a document an API: its routes, its tags, a pool from its server and, if asked, validation. */
export const openApiImportSchema = z.strictObject({
  document: documentField,
  name: nameSchema.optional().meta({
    title: "Name",
    description: "The API's name; a re-import with the same name updates that API. Default: the document's title",
  }),
  upstreamId: z.string().trim().min(1).max(100).optional().meta({
    title: "Pool",
    description:
      "An existing pool for the API. Without one, a new API gets a new pool of the document's first server URL and an imported one keeps its pool",
  }),
  attachValidation: z.boolean().default(false).meta({
    title: "Validate requests",
    description: "Each route also gets a request-validation policy from its operation's parameters and JSON body",
  }),
  dryRun: dryRunField,
});
export type OpenApiImport = z.input<typeof openApiImportSchema>;

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
