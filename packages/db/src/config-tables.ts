import { getTableName } from "drizzle-orm";
import {
  admins,
  apiKeys,
  apis,
  auditLog,
  cachePurges,
  certificates,
  configVersions,
  consumers,
  nodes,
  nodeTokens,
  plans,
  policies,
  routes,
  sessions,
  settings,
  targets,
  upstreams,
} from "./schema/index.ts";

/** config.db's configuration: what the Admin API changes under a revision and a gateway serves. */
export const CONFIG_TABLES = [
  apis,
  routes,
  upstreams,
  targets,
  consumers,
  apiKeys,
  plans,
  policies,
  cachePurges,
  certificates,
] as const;

/** What a gateway needs before it can load: the configuration and the audit log whose revision it follows. */
export const GATEWAY_TABLE_NAMES: readonly string[] = [...CONFIG_TABLES, auditLog].map((table) => getTableName(table));

/** The history a revision's diff and a rollback read: each config-file object as each revision left it. */
export const HISTORY_TABLES = [configVersions] as const;

/** The console's own tables (sign-in and its settings): no revision, never read by a gateway. */
export const CONSOLE_TABLES = [admins, sessions, settings, nodeTokens, nodes] as const;
