import type { HttpMethod } from "@gatehouse/shared";
import { OPERATION_METHODS, type OpenApiDocument, type OperationObject, type PathItem } from "./openapi-document.ts";
import { operationParts, type ValidationParts } from "./operation-parts.ts";

/** One operation of a document, as attaching and importing both read it. */
export interface DocumentOperation {
  method: HttpMethod;
  /** As the document writes it, e.g. /pets/{petId}. */
  path: string;
  /** As a route writes it, e.g. /pets/:petId. */
  routePath: string;
  operation: OperationObject;
  /** Where errors about it point, e.g. `document.paths./pets.get`. */
  field: string;
  /** The request-validation parts its parameters and JSON body give; read only when wanted, as a bad schema throws. */
  parts: () => ValidationParts;
}

/** `/pets/{petId}` as a route writes it; a trailing slash does not make another route. */
export const routePath = (path: string) => path.replace(/\{([^}/]+)\}/g, ":$1").replace(/(.)\/+$/, "$1");

/** Every operation in the document's order: by path, then by method. */
export function documentOperations(document: OpenApiDocument): DocumentOperation[] {
  const operations: DocumentOperation[] = [];
  for (const [path, item] of Object.entries(document.paths) as [string, PathItem][]) {
    for (const lower of OPERATION_METHODS) {
      const operation = item[lower];
      if (operation === undefined) continue;
      const field = `document.paths.${path}.${lower}`;
      operations.push({
        method: lower.toUpperCase() as HttpMethod,
        path,
        routePath: routePath(path),
        operation,
        field,
        parts: () => operationParts(document, item, operation, field),
      });
    }
  }
  return operations;
}
