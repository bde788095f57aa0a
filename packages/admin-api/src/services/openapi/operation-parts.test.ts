import { expect, test } from "vitest";
import { PETSTORE } from "../../test-support/petstore.ts";
import { type OpenApiDocument, readOpenApiDocument } from "./openapi-document.ts";
import { operationParts } from "./operation-parts.ts";

const partsOf = (document: OpenApiDocument, path: string, method: "get" | "post") => {
  const item = document.paths[path] ?? {};
  return operationParts(document, item, item[method] ?? {}, `document.paths.${path}.${method}`);
};

test("[OPENAPI] path, query and header parameters become object schemas; path-level ones are inherited and overridden", () => {
  const document = readOpenApiDocument({
    openapi: "3.0.3",
    paths: {
      "/things/{id}": {
        parameters: [
          { name: "id", in: "path", schema: { type: "string" } },
          { name: "X-Tenant", in: "header", required: true, schema: { type: "string" } },
        ],
        get: {
          parameters: [
            { name: "id", in: "path", required: true, schema: { type: "integer" } },
            { name: "tag", in: "query", schema: { type: "array", items: { type: "string" } } },
            { name: "Accept", in: "header", schema: { type: "string" } },
            { name: "session", in: "cookie", schema: { type: "string" } },
          ],
        },
      },
    },
  });
  expect(partsOf(document, "/things/{id}", "get")).toEqual({
    params: { type: "object", properties: { id: { type: "integer" } }, required: ["id"] },
    query: { type: "object", properties: { tag: { type: "array", items: { type: "string" } } } },
    headers: { type: "object", properties: { "x-tenant": { type: "string" } }, required: ["x-tenant"] },
    body: null,
  });
});

test("[OPENAPI] a required body is the schema itself; Petstore's parameter refs resolve inline", () => {
  const document = readOpenApiDocument(PETSTORE);
  const created = partsOf(document, "/pets", "post");
  expect(created.body).toMatchObject({ $ref: "#/$defs/Pet", $defs: { Pet: { required: ["name"] } } });
  expect(Object.keys(created.body?.$defs as object).sort()).toEqual(["Owner", "Pet"]);
  expect(partsOf(document, "/pets", "get").query).toEqual({
    type: "object",
    properties: { limit: { type: "integer", maximum: 100 } },
  });
});

test("[OPENAPI] only a JSON media type gives the body schema, since the policy reads a body as JSON", () => {
  const body = (content: Record<string, unknown>) =>
    partsOf(
      readOpenApiDocument({
        openapi: "3.1.0",
        paths: { "/x": { post: { requestBody: { required: true, content } } } },
      }),
      "/x",
      "post",
    ).body;
  expect(body({ "application/x-www-form-urlencoded": { schema: { type: "object" } } })).toBeNull();
  expect(body({ "text/plain": {}, "application/merge-patch+json": { schema: { type: "object" } } })).toEqual({
    type: "object",
  });
});

test("[OPENAPI] a schema the policy cannot compile is refused naming the operation", () => {
  const document = readOpenApiDocument({
    openapi: "3.1.0",
    paths: { "/x": { post: { requestBody: { content: { "application/json": { schema: { type: "objekt" } } } } } } },
  });
  expect(() => partsOf(document, "/x", "post")).toThrow(
    expect.objectContaining({
      fields: [
        { path: "document.paths./x.post", message: expect.stringMatching(/^The body schema it gives: Not a usable/) },
      ],
    }),
  );
});
