import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { migrateConfigDb, openConfigDb } from "@gatehouse/db";
import { LoginLimiter } from "../auth/login-limiter.ts";
import { createAdminApi } from "../http/app.ts";

export const TEST_TOKEN = "test-admin-token-0123456789";

/** A real Admin API over a real SQLite file in a temporary data dir. */
export function startAdminApi(options: { gatewayStatusUrl?: string; dataDir?: string } = {}) {
  const dataDir = options.dataDir ?? mkdtempSync(path.join(tmpdir(), "gatehouse-admin-"));
  const db = openConfigDb(dataDir);
  migrateConfigDb(db);
  const app = createAdminApi({
    db,
    adminToken: TEST_TOKEN,
    gatewayStatusUrl: options.gatewayStatusUrl,
    loginLimiter: new LoginLimiter(5, 60_000),
  });

  async function call(method: string, url: string, body?: unknown, headers: Record<string, string> = {}) {
    const response = await app.request(`http://console.test/api/v1${url}`, {
      method,
      headers: {
        authorization: `Bearer ${TEST_TOKEN}`,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
        ...headers,
      },
      ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
    });
    const text = await response.text();
    // biome-ignore lint/suspicious/noExplicitAny: tests read whatever JSON came back
    const json: any = text ? JSON.parse(text) : null;
    return { status: response.status, json, headers: response.headers };
  }

  return {
    app,
    db,
    dataDir,
    call,
    close() {
      db.$client.close();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export type AdminApiHarness = ReturnType<typeof startAdminApi>;
