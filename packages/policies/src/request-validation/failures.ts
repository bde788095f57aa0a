import type { FieldError } from "@gatehouse/shared";
import type { ErrorObject } from "ajv/dist/2020.js";
import type { RequestPart } from "./compile-schema.ts";

// Paths carry the client's property names; a long one must not be echoed back twenty times.
const MAX_PATH_CHARS = 200;

/** `/items/0/qty` as `body.items[0].qty`: an index where the value at that point is an array. */
function pathOf(part: RequestPart, pointer: string, data: unknown): string {
  let path: string = part;
  let node = data;
  for (const segment of pointer.split("/").slice(1)) {
    const key = segment.replaceAll("~1", "/").replaceAll("~0", "~");
    path += Array.isArray(node) ? `[${key}]` : `.${key}`;
    node = node !== null && typeof node === "object" ? (node as Record<string, unknown>)[key] : undefined;
  }
  return path;
}

/** A missing or extra property names the property itself, not the object holding it. */
function failureOf(part: RequestPart, error: ErrorObject, data: unknown): FieldError {
  const path = pathOf(part, error.instancePath, data);
  const params = error.params as Record<string, unknown>;
  if (typeof params.missingProperty === "string") {
    return { path: `${path}.${params.missingProperty}`, message: "is required" };
  }
  const extra = params.additionalProperty ?? params.unevaluatedProperty;
  if (typeof extra === "string") return { path: `${path}.${extra}`, message: "is not allowed" };
  return { path, message: error.message ?? `fails ${error.keyword}` };
}

/** What ajv found wrong with one part, as the error envelope's fields. */
export function failuresOf(part: RequestPart, errors: readonly ErrorObject[], data: unknown): FieldError[] {
  // An `if` failure only says its `then` or `else` failed, whose own failures are listed already.
  return errors
    .filter((error) => error.keyword !== "if")
    .map((error) => {
      const failure = failureOf(part, error, data);
      if (failure.path.length <= MAX_PATH_CHARS) return failure;
      return { ...failure, path: `${failure.path.slice(0, MAX_PATH_CHARS)}…` };
    });
}
