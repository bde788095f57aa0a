import { currentRevision } from "@gatehouse/db";
import {
  CONFIG_FILE_VERSION,
  type ConfigPlan,
  type FieldError,
  type FileUpstream,
  fileUpstreamSchema,
  GatehouseError,
  notFound,
  openApiImportSchema,
} from "@gatehouse/shared";
import { applyConfig } from "../config/apply-config.ts";
import { type ConfigObjects, readConfigObjects } from "../config/config-objects.ts";
import { fileApi, fileNames } from "../config/to-config-file.ts";
import { parseInput, type ServiceContext } from "../context.ts";
import { documentOperations } from "./document-operations.ts";
import { nameFromTitle, readImportedFields, serverTargetUrl } from "./imported-fields.ts";
import { apiFromDocument, requestField } from "./openapi-api.ts";
import { invalidDocument, readOpenApiDocument } from "./openapi-document.ts";

/**
 * The pool the API sends to: the one chosen, else the one an API imported before keeps, else a
 * new one at the document's first server, named after the API.
 */
function poolFor(
  objects: ConfigObjects,
  apiName: string,
  chosen: string | undefined,
  kept: string | undefined,
  serverUrl: () => string,
): { name: string; created: FileUpstream | null } {
  if (chosen !== undefined) {
    const pool = objects.upstreams.find(({ upstream }) => upstream.id === chosen);
    if (!pool) throw notFound("Upstream", chosen);
    return { name: pool.upstream.name, created: null };
  }
  if (kept !== undefined) return { name: kept, created: null };
  // Matched by name, a pool of the API's name would be taken over and its targets replaced.
  if (objects.upstreams.some(({ upstream }) => upstream.name === apiName)) {
    throw invalidDocument([
      { path: "upstreamId", message: `A pool named ${apiName} exists: choose it, or give the API another name` },
    ]);
  }
  return { name: apiName, created: fileUpstreamSchema.parse({ name: apiName, targets: [{ url: serverUrl() }] }) };
}

/** The engine names the file's paths; the client sent a document, so its errors point there. */
function documentError(error: GatehouseError, routeFields: (path: string) => string): GatehouseError {
  const field = (path: string) => {
    if (path.startsWith("apis.0.routes")) return routeFields(path.slice("apis.0.".length));
    if (path === "apis.0.upstream") return "upstreamId";
    if (path.startsWith("apis.0.")) return path.slice("apis.0.".length);
    return path.startsWith("upstreams.0.targets") ? "document.servers.0.url" : path;
  };
  const fields = error.fields?.map((e: FieldError) => ({ ...e, path: field(e.path) }));
  const message =
    error.code === "validation_failed" ? "The document cannot be imported; nothing was changed" : error.message;
  return new GatehouseError(error.code, message, fields);
}

/**
 * Makes an OpenAPI 3 document a Gatehouse API through the config engine: the API (matched by
 * name, its routes by name) and, when it gets one, its new pool; nothing else is touched.
 */
export function importOpenApi(ctx: ServiceContext, input: unknown): ConfigPlan {
  const { document, name, upstreamId, attachValidation, dryRun } = parseInput(openApiImportSchema, input);
  const read = readOpenApiDocument(document);
  const fields = readImportedFields(read);
  const apiName = name ?? nameFromTitle(fields.info?.title ?? "");
  if (apiName === "") {
    throw invalidDocument([
      { path: "name", message: "The document's info.title gives no usable name: give the API a name" },
    ]);
  }
  const { objects, revision } = ctx.db.transaction(
    () => ({ objects: readConfigObjects(ctx.db.$client), revision: currentRevision(ctx.db) }),
    { behavior: "deferred" },
  );
  const saved = objects.apis.find(({ api }) => api.name === apiName);
  const current = saved ? fileApi(saved, fileNames(objects)) : undefined;
  const pool = poolFor(objects, apiName, upstreamId, current?.upstream, () => serverTargetUrl(fields));
  const api = apiFromDocument(read, fields, { name: apiName, upstream: pool.name, current, attachValidation });
  const operations = documentOperations(read);
  // The file is built from the config as read above: a write in between must not be undone by it.
  ctx.expectedRevision ??= revision;
  try {
    return applyConfig(
      ctx,
      {
        version: CONFIG_FILE_VERSION,
        upstreams: pool.created ? [pool.created] : [],
        apis: [api],
        plans: [],
        consumers: [],
        policies: [],
      },
      { prune: false, dryRun, source: "openapi" },
    );
  } catch (error) {
    if (error instanceof GatehouseError && error.fields)
      throw documentError(error, (path) => requestField(path, operations));
    throw error;
  }
}
