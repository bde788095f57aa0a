export { issueSetupToken } from "./auth/setup-token.ts";
export { ADMIN_API_BASE, type AdminApi, createAdminApi } from "./http/app.ts";
export type { AdminApiDeps } from "./http/env.ts";
export { type IngestResult, ingestTraffic } from "./node-sync/traffic-ingest.ts";
export * from "./services/index.ts";
