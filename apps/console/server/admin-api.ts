import "server-only";
import { type AdminApi, createAdminApi } from "@gatehouse/admin-api";
import { type ConfigDb, migrateConfigDb, openConfigDb } from "@gatehouse/db";
import { publicConfig } from "@/lib/public-config.ts";
import { env } from "./env.ts";

// One connection and one app per process; kept on globalThis so dev-mode reloads do not leak connections.
const cache = globalThis as typeof globalThis & { __gatehouseConsole?: { db: ConfigDb; api: AdminApi } };

export function consoleServices() {
  if (!cache.__gatehouseConsole) {
    const db = openConfigDb(env.dataDir);
    migrateConfigDb(db);
    const api = createAdminApi({
      db,
      adminToken: env.GATEHOUSE_ADMIN_TOKEN,
      gatewayStatusUrl: env.GATEHOUSE_GATEWAY_STATUS_URL,
      gatewayProxyUrl: env.GATEHOUSE_GATEWAY_PROXY_URL ?? publicConfig().gatewayUrl,
      dataDir: env.dataDir,
    });
    cache.__gatehouseConsole = { db, api };
  }
  return cache.__gatehouseConsole;
}
