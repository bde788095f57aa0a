/** A Petstore-like OpenAPI 3.0 document: a query, a path parameter, a required body with nested refs. */
export const PETSTORE = {
  openapi: "3.0.3",
  info: { title: "Petstore", version: "1.0.0" },
  paths: {
    "/pets": {
      get: {
        operationId: "listPets",
        parameters: [{ $ref: "#/components/parameters/Limit" }],
        responses: { "200": { description: "A page of pets" } },
      },
      post: {
        operationId: "createPet",
        requestBody: {
          required: true,
          content: { "application/json": { schema: { $ref: "#/components/schemas/Pet" } } },
        },
        responses: { "201": { description: "Created" } },
      },
    },
    "/pets/{petId}": {
      parameters: [
        { name: "petId", in: "path", required: true, schema: { type: "integer", format: "int64", minimum: 1 } },
      ],
      get: { operationId: "showPet", responses: { "200": { description: "A pet" } } },
    },
  },
  components: {
    parameters: {
      Limit: {
        name: "limit",
        in: "query",
        required: false,
        schema: { type: "integer", maximum: 100, "x-internal": true },
      },
    },
    schemas: {
      Pet: {
        type: "object",
        required: ["name"],
        properties: {
          name: { type: "string", minLength: 1 },
          tag: { type: "string", nullable: true, example: "dog" },
          owner: { $ref: "#/components/schemas/Owner" },
        },
      },
      Owner: {
        type: "object",
        properties: { name: { type: "string" }, pets: { type: "array", items: { $ref: "#/components/schemas/Pet" } } },
      },
      Unused: { type: "string" },
    },
  },
};
