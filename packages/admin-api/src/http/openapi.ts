import { errorBodySchema } from "@gatehouse/shared";
import { z } from "zod";
import type { Operation } from "./operations.ts";

type JsonSchema = Record<string, unknown>;

/**
 * A zod schema as JSON Schema 2020-12. Output schemas describe answers, so their objects are
 * closed (`additionalProperties: false`, zod's output mode); input schemas are closed where
 * the zod schema is strict, which every body and query is. A union keyed by a literal field
 * gets OpenAPI's `discriminator`, so generators pick the branch by that field.
 */
export function toSchema(schema: z.ZodType, io: "input" | "output"): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, {
    io,
    unrepresentable: "any",
    override: ({ zodSchema, jsonSchema }) => {
      const def = zodSchema._zod.def as { type: string; discriminator?: string };
      if (def.type === "union" && def.discriminator) jsonSchema.discriminator = { propertyName: def.discriminator };
    },
  }) as JsonSchema;
  return rest;
}

const ERROR_REF = { $ref: "#/components/schemas/Error" };
const errorAnswer = (description: string) => ({ description, content: { "application/json": { schema: ERROR_REF } } });

/** The error answers an operation can give: those its shape implies, and those it declares itself. */
export function errorStatuses(op: Operation): Record<string, string> {
  const out: Record<string, string> = {};
  if (op.body || op.query) out["400"] = "Invalid input; `fields` names each bad or unknown field";
  if (!op.public) out["401"] = "Missing or invalid credentials";
  // Every write checks that a signed-in browser's request comes from the console itself.
  if (op.method !== "get") {
    out["403"] = "A cross-site request with the session cookie";
    out["412"] = "`If-Match` named a revision the config has moved on from";
  }
  if (op.path.includes(":")) out["404"] = "Unknown id";
  if (op.body) {
    out["413"] = "Body too large";
    out["415"] = "Body is not JSON";
  }
  for (const [status, description] of Object.entries(op.errors ?? {})) out[status] = description;
  return out;
}

function successAnswer(op: Operation) {
  const content: Record<string, unknown> = {};
  if (op.response) content["application/json"] = { schema: toSchema(op.response, "output") };
  for (const [type, description] of Object.entries(op.otherContent ?? {})) {
    content[type] = { schema: { type: "string", description } };
  }
  return Object.keys(content).length === 0 ? { description: "Done" } : { description: "OK", content };
}

const openObject = z.record(z.string(), z.unknown());

/** The document's own top level; what lies below is OpenAPI 3.1's, described by its specification. */
export const openApiDocumentSchema = z.object({
  openapi: z.literal("3.1.0"),
  info: openObject,
  servers: z.array(openObject),
  security: z.array(openObject),
  components: openObject,
  paths: openObject,
});

/** The OpenAPI 3.1 document, drawn from the same operations and zod schemas that serve the requests. */
export function openApiDocument(operations: Operation[], basePath: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of operations) {
    const path = `${basePath}${op.path.replace(/:(\w+)/g, "{$1}")}`;
    const pathParams = [...op.path.matchAll(/:(\w+)/g)].map((m) => ({
      name: m[1],
      in: "path",
      required: true,
      schema: { type: "string" },
    }));
    const queryShape = op.query ? toSchema(op.query, "input") : undefined;
    const required = new Set((queryShape?.required as string[] | undefined) ?? []);
    const queryParams = Object.entries((queryShape?.properties ?? {}) as Record<string, JsonSchema>).map(
      ([name, schema]) => ({ name, in: "query", required: required.has(name), schema }),
    );
    const responses: Record<string, unknown> = { [String(op.status ?? 200)]: successAnswer(op) };
    for (const [status, description] of Object.entries(errorStatuses(op))) responses[status] = errorAnswer(description);
    paths[path] ??= {};
    paths[path][op.method] = {
      operationId: `${op.method}${path.replace(/[^A-Za-z0-9]+(\w)?/g, (_, c: string | undefined) => (c ? c.toUpperCase() : ""))}`,
      summary: op.summary,
      tags: [op.tag],
      ...(op.public ? { security: [] } : {}),
      ...(op.auth === "node" ? { security: [{ nodeToken: [] }] } : {}),
      parameters: [...pathParams, ...queryParams],
      ...(op.body
        ? { requestBody: { required: true, content: { "application/json": { schema: toSchema(op.body, "input") } } } }
        : {}),
      responses,
    };
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Gatehouse Admin API",
      version: "1",
      description:
        "Every change is validated, saved in one transaction, bumps the config revision (the Gatehouse-Revision response header) and is audited. Unknown fields and query parameters are refused.",
    },
    servers: [{ url: "/" }],
    security: [{ bearerAuth: [] }, { sessionCookie: [] }],
    components: {
      securitySchemes: {
        bearerAuth: { type: "http", scheme: "bearer", description: "GATEHOUSE_ADMIN_TOKEN" },
        sessionCookie: { type: "apiKey", in: "cookie", name: "gatehouse_session" },
        nodeToken: { type: "http", scheme: "bearer", description: "A node token (POST /api/v1/nodes/tokens)" },
      },
      schemas: { Error: toSchema(errorBodySchema, "output") },
    },
    paths,
  };
}
