import { configPlanSchema, OPENAPI_DOCUMENT_MAX_BYTES, openApiImportSchema } from "@gatehouse/shared";
import { importOpenApi } from "../../services/index.ts";
import type { Operation } from "../operations.ts";

export const openApiImportOperations: Operation[] = [
  {
    method: "post",
    path: "/openapi/import",
    tag: "APIs",
    summary:
      "Import an OpenAPI 3 document as an API: one exact route per operation, named by operationId, a pool at its first server unless one is chosen, request validation if asked; a re-import updates the API of that name by exactly the document's changes",
    errors: { 404: "upstreamId names no pool" },
    body: openApiImportSchema,
    response: configPlanSchema,
    maxBodyBytes: OPENAPI_DOCUMENT_MAX_BYTES + 64 * 1024,
    handler: ({ ctx, body }) => importOpenApi(ctx, body),
  },
];
