import { type FieldError, fieldErrors, GatehouseError } from "@gatehouse/shared";
import { z } from "zod";
import { readYamlText } from "../yaml-text.ts";

// TRACE is not among the methods a route serves, so a `trace` operation is not read.
export const OPERATION_METHODS = ["get", "put", "post", "delete", "options", "head", "patch"] as const;
export type OperationMethod = (typeof OPERATION_METHODS)[number];

/** 3.1 allows `true` and `false` as schemas; what a schema says is checked when it is compiled. */
const schemaSchema = z.union([z.record(z.string(), z.unknown()), z.boolean()]);
type JsonSchemaOrBoolean = z.infer<typeof schemaSchema>;
const mediaTypes = z.record(z.string(), z.looseObject({ schema: schemaSchema.optional() }));

/** Only what attaching request validation reads is checked; the rest of the document is left alone. */
const parameterSchema = z
  .looseObject({
    $ref: z.string().optional(),
    name: z.string().min(1).optional(),
    in: z.enum(["query", "path", "header", "cookie"]).optional(),
    required: z.boolean().optional(),
    schema: schemaSchema.optional(),
    content: mediaTypes.optional(),
  })
  .superRefine((parameter, ctx) => {
    if (parameter.$ref !== undefined) return;
    if (parameter.name === undefined)
      ctx.addIssue({ code: "custom", path: ["name"], message: "A parameter has a name" });
    if (parameter.in === undefined)
      ctx.addIssue({ code: "custom", path: ["in"], message: "A parameter says where it is" });
  });
export type Parameter = z.infer<typeof parameterSchema>;

const requestBodySchema = z.looseObject({
  $ref: z.string().optional(),
  required: z.boolean().optional(),
  content: mediaTypes.optional(),
});
export type RequestBody = z.infer<typeof requestBodySchema>;

const operationSchema = z.looseObject({
  parameters: z.array(parameterSchema).optional(),
  requestBody: requestBodySchema.optional(),
});
export type OperationObject = z.infer<typeof operationSchema>;

const pathItemSchema = z.looseObject({
  parameters: z.array(parameterSchema).optional(),
  ...Object.fromEntries(OPERATION_METHODS.map((method) => [method, operationSchema.optional()])),
});
export type PathItem = { parameters?: Parameter[] } & Partial<Record<OperationMethod, OperationObject>>;

const documentSchema = z.looseObject({
  openapi: z.string().regex(/^3\.[01]\.\d+/, "Only OpenAPI 3.0 and 3.1 documents are read"),
  paths: z.record(z.string().startsWith("/", "A path starts with /"), pathItemSchema).default({}),
  components: z
    .looseObject({
      schemas: z.record(z.string(), schemaSchema).optional(),
      parameters: z.record(z.string(), parameterSchema).optional(),
      requestBodies: z.record(z.string(), requestBodySchema).optional(),
    })
    .optional(),
});
export interface OpenApiDocument {
  openapi: string;
  paths: Record<string, PathItem>;
  components?: {
    schemas?: Record<string, JsonSchemaOrBoolean>;
    parameters?: Record<string, Parameter>;
    requestBodies?: Record<string, RequestBody>;
  };
}

export const invalidDocument = (fields: FieldError[]) =>
  new GatehouseError("validation_failed", "The OpenAPI document cannot be used", fields);

/** The document as an object, checked as far as attaching reads it; errors name `document.<path>`. */
export function readOpenApiDocument(input: string | Record<string, unknown>): OpenApiDocument {
  const document = typeof input === "string" ? readYamlText(input, "document") : input;
  if (document === null || typeof document !== "object" || Array.isArray(document)) {
    throw invalidDocument([{ path: "document", message: "An OpenAPI document is an object" }]);
  }
  if ("swagger" in document) {
    throw invalidDocument([
      { path: "document.swagger", message: "This is a Swagger 2.0 document; only OpenAPI 3.x documents are read" },
    ]);
  }
  const result = documentSchema.safeParse(document);
  if (!result.success) {
    throw invalidDocument(fieldErrors(result.error).map((e) => ({ ...e, path: `document.${e.path}` })));
  }
  return result.data as unknown as OpenApiDocument;
}
