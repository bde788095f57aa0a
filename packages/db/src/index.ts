export * from "./analytics/index.ts";
export * from "./analytics-client.ts";
export * from "./client.ts";
export * from "./migrate.ts";
export * from "./read-all.ts";
export * from "./revision.ts";
export * from "./schema/index.ts";
export * from "./status-token.ts";
