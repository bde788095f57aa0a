import { z } from "zod";
import type { Operation } from "./operations.ts";

type JsonSchema = Record<string, unknown>;

const toSchema = (schema: z.ZodType, io: "input" | "output"): JsonSchema => {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: "any" }) as JsonSchema;
  return rest;
};

const errorEnvelope: JsonSchema = {
  type: "object",
  required: ["error"],
  properties: {
    error: {
      type: "object",
      required: ["code", "message"],
      properties: {
        code: { type: "string" },
        message: { type: "string" },
        requestId: { type: "string" },
        fields: {
          type: "array",
          items: {
            type: "object",
            required: ["path", "message"],
            properties: { path: { type: "string" }, message: { type: "string" } },
          },
        },
      },
    },
  },
};

const errorRef = (description: string) => ({
  description,
  content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
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
    const queryParams = op.query
      ? Object.entries(op.query.shape).map(([name, schema]) => ({
          name,
          in: "query",
          required: false,
          schema: toSchema(schema as z.ZodType, "input"),
        }))
      : [];
    const status = String(op.status ?? 200);
    const responses: Record<string, unknown> = {
      [status]:
        status === "204" || !op.response
          ? { description: "Done" }
          : { description: "OK", content: { "application/json": { schema: toSchema(op.response, "output") } } },
      "400": errorRef("Invalid input; `fields` names each bad field"),
      "401": errorRef("Missing or invalid credentials"),
    };
    if (pathParams.length > 0) responses["404"] = errorRef("Unknown id");
    if (op.body) {
      responses["409"] = errorRef("Conflicts with existing configuration");
      responses["413"] = errorRef("Body too large");
      responses["415"] = errorRef("Body is not JSON");
    }
    paths[path] ??= {};
    paths[path][op.method] = {
      operationId: `${op.method}${path.replace(/[^A-Za-z0-9]+(\w)?/g, (_, c: string | undefined) => (c ? c.toUpperCase() : ""))}`,
      summary: op.summary,
      tags: [op.tag],
      ...(op.public ? { security: [] } : {}),
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
        "Every change is validated, saved in one transaction, bumps the config revision (the Gatehouse-Revision response header) and is audited.",
    },
    servers: [{ url: "/" }],
    security: [{ bearerAuth: [] }, { sessionCookie: [] }],
    components: {
      securitySchemes: {
        bearerAuth: { type: "http", scheme: "bearer", description: "GATEHOUSE_ADMIN_TOKEN" },
        sessionCookie: { type: "apiKey", in: "cookie", name: "gatehouse_session" },
      },
      schemas: { Error: errorEnvelope },
    },
    paths,
  };
}
