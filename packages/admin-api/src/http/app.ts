import { newId } from "@gatehouse/shared";
import { Hono } from "hono";
import { LoginLimiter } from "../auth/login-limiter.ts";
import { sessionSecret } from "../auth/secrets.ts";
import { ConfigStreams } from "../node-sync/config-stream.ts";
import { NodeRegistry } from "../node-sync/node-registry.ts";
import { NodeRequestLogs } from "../node-sync/node-request-logs.ts";
import { AnalyticsReader } from "../services/analytics/analytics-reader.ts";
import { ensureHistory } from "../services/config/config-versions.ts";
import { analyticsOperations } from "./endpoints/analytics.ts";
import { apiOperations } from "./endpoints/apis.ts";
import { authOperations } from "./endpoints/auth.ts";
import { certificateOperations } from "./endpoints/certificates.ts";
import { configOperations } from "./endpoints/config.ts";
import { configSchemaOperations } from "./endpoints/config-schema.ts";
import { consumerOperations } from "./endpoints/consumers.ts";
import { nodeOperations } from "./endpoints/nodes.ts";
import { openApiImportOperations } from "./endpoints/openapi-import.ts";
import { planOperations } from "./endpoints/plans.ts";
import { policyOperations } from "./endpoints/policies.ts";
import { sessionOperations } from "./endpoints/sessions.ts";
import { systemOperations } from "./endpoints/system.ts";
import { upstreamOperations } from "./endpoints/upstreams.ts";
import { type AdminApiDeps, type AdminEnv, gatewayStatusToken } from "./env.ts";
import { errorResponse, onError } from "./errors.ts";
import { openApiDocument, openApiDocumentSchema } from "./openapi.ts";
import { mountOperations, type Operation } from "./operations.ts";

export const ADMIN_API_BASE = "/api/v1";

/** The Admin API as a fetch handler: the console mounts it, tests call `app.request()`. */
export function createAdminApi(deps: AdminApiDeps) {
  const secret = sessionSecret(deps.db);
  ensureHistory(deps.db);
  const analytics = new AnalyticsReader(deps.dataDir);
  const nodes = new NodeRegistry(deps.db);
  const streams = new ConfigStreams(deps.db, nodes);
  const nodeLogs = new NodeRequestLogs();
  const operations: Operation[] = [
    ...authOperations(deps.db, secret, deps.loginLimiter ?? new LoginLimiter()),
    ...sessionOperations(deps.db),
    ...apiOperations,
    ...openApiImportOperations,
    ...upstreamOperations(deps, analytics),
    ...consumerOperations(analytics),
    ...policyOperations,
    ...planOperations,
    ...certificateOperations(deps),
    ...systemOperations(deps),
    ...configOperations,
    ...configSchemaOperations(),
    ...nodeOperations(deps.db, deps.dataDir, nodes, streams, nodeLogs),
    ...analyticsOperations(analytics, { url: deps.gatewayStatusUrl, token: () => gatewayStatusToken(deps) }, nodeLogs),
  ];
  operations.push({
    method: "get",
    path: "/openapi.json",
    tag: "System",
    summary: "This document",
    response: openApiDocumentSchema,
    handler: () => document,
  });
  const document = openApiDocument(operations, ADMIN_API_BASE);

  const app = new Hono<AdminEnv>().basePath(ADMIN_API_BASE);
  app.use(async (c, next) => {
    const requestId = newId("request");
    c.set("requestId", requestId);
    c.header("X-Request-Id", requestId);
    c.header("Cache-Control", "no-store");
    await next();
  });
  // A change saved here goes to nodes at once; the streams poll for changes written by anything else.
  mountOperations(app, deps, secret, operations, () => streams.changed());
  app.notFound((c) => errorResponse(c, "not_found", `No Admin API operation ${c.req.method} ${c.req.path}`, 404));
  app.onError(onError);
  return app;
}

export type AdminApi = ReturnType<typeof createAdminApi>;
