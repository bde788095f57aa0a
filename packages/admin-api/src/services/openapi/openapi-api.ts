import { findPolicySchema } from "@gatehouse/policies/schemas";
import {
  type FieldError,
  type FileApi,
  type FilePolicy,
  type FileRoute,
  fieldErrors,
  fileApiSchema,
} from "@gatehouse/shared";
import type { z } from "zod";
import { type DocumentOperation, documentOperations } from "./document-operations.ts";
import { type ImportedFields, MAX_TAGS, tagsFrom } from "./imported-fields.ts";
import { invalidDocument, type OpenApiDocument } from "./openapi-document.ts";

const VALIDATION = "request-validation";

export interface ApiFromDocumentOptions {
  name: string;
  /** The name of the pool the API sends to. */
  upstream: string;
  /** The API as saved, in file form, when the document was imported before (matched by name). */
  current?: FileApi;
  attachValidation: boolean;
}

/**
 * The request-validation policy a route gets: the document's parts over what was saved, so the
 * policy's id, its switch and settings the document does not speak of (maxBodyBytes) are kept.
 * An operation that declares nothing to check gets none, as attaching does.
 */
function validationPolicy(op: DocumentOperation, saved: FilePolicy | undefined): FilePolicy | undefined {
  const parts = op.parts();
  if (!saved && Object.values(parts).every((part) => part === null)) return undefined;
  const schema = findPolicySchema(VALIDATION)?.config as z.ZodType<Record<string, unknown>>;
  const config = schema.parse({ ...saved?.config, ...parts });
  return { ...(saved?.id ? { id: saved.id } : {}), type: VALIDATION, enabled: saved?.enabled ?? true, config };
}

/** Routes are matched by name on a re-import, so the name comes from what the document keeps stable. */
function routeName(op: DocumentOperation): string {
  const id = op.operation.operationId;
  return typeof id === "string" && id.trim() !== "" ? id.trim() : `${op.method} ${op.path}`;
}

/**
 * The route serving one operation. Matching, not path handling, comes from the document: the
 * path exactly, its one method, the path forwarded whole. What else was saved on a route of that
 * name (hosts, priority, policies) is kept.
 */
function routeOf(op: DocumentOperation, saved: FileRoute | undefined, attachValidation: boolean) {
  let policies = saved?.policies ?? [];
  if (attachValidation) {
    const kept = policies.filter((p) => p.type !== VALIDATION);
    const validation = validationPolicy(
      op,
      policies.find((p) => p.type === VALIDATION),
    );
    policies = validation ? [...kept, validation] : kept;
  }
  return {
    ...saved,
    name: routeName(op),
    paths: [op.routePath],
    pathType: "exact",
    methods: [op.method],
    stripPath: false,
    policies,
  };
}

/** Where a problem with the built API is in the request: the operation it came from, or the name. */
export function requestField(path: string, operations: DocumentOperation[]): string {
  const match = /^routes\.(\d+)(?:\.(\w+))?/.exec(path);
  const op = match ? operations[Number(match[1])] : undefined;
  if (!match || !op) return path;
  if (match[2] === "name") return `${op.field}.operationId`;
  return match[2] === "paths" ? `document.paths.${op.path}` : op.field;
}

function duplicates(operations: DocumentOperation[]): FieldError[] {
  const errors: FieldError[] = [];
  const names = new Map<string, string>();
  const served = new Map<string, string>();
  for (const op of operations) {
    const name = routeName(op);
    const first = names.get(name);
    if (first) errors.push({ path: `${op.field}.operationId`, message: `${first} has this route name too` });
    else names.set(name, `${op.method} ${op.path}`);
    const key = `${op.method} ${op.routePath}`;
    const same = served.get(key);
    if (same) errors.push({ path: `document.paths.${op.path}`, message: `${same} is the same route` });
    else served.set(key, `${op.method} ${op.path}`);
  }
  return errors;
}

/** The document as a config-file API: one route per operation, named by its operationId. */
export function apiFromDocument(
  document: OpenApiDocument,
  fields: ImportedFields,
  options: ApiFromDocumentOptions,
): FileApi {
  const { current } = options;
  const operations = documentOperations(document);
  if (operations.length === 0) {
    throw invalidDocument([{ path: "document.paths", message: "The document has no operations to route" }]);
  }
  const savedRoutes = new Map((current?.routes ?? []).map((route) => [route.name ?? "", route]));
  const routes = operations.map((op) => routeOf(op, savedRoutes.get(routeName(op)), options.attachValidation));
  const problems = duplicates(operations);
  if (problems.length > 0) throw invalidDocument(problems);
  const result = fileApiSchema.safeParse({
    ...(current?.id ? { id: current.id } : {}),
    name: options.name,
    description: current?.description ?? "",
    enabled: current?.enabled ?? true,
    // Tags given on the API are kept: an import adds the document's, it never takes any away.
    tags: [...new Set([...(current?.tags ?? []), ...tagsFrom(fields)])].slice(0, MAX_TAGS),
    upstream: options.upstream,
    routes,
    policies: current?.policies ?? [],
  });
  if (!result.success) {
    throw invalidDocument(
      fieldErrors(result.error).map((e) =>
        e.path === "routes"
          ? {
              path: "document.paths",
              message: `${e.message}: one route per operation, and it has ${operations.length}`,
            }
          : { ...e, path: requestField(e.path, operations) },
      ),
    );
  }
  return result.data;
}
