import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { migrateConfigDb, openConfigDb } from "@gatehouse/db";
import { LoginLimiter } from "../auth/login-limiter.ts";
import { issueSetupToken } from "../auth/setup-token.ts";
import { createAdminApi } from "../http/app.ts";

export const TEST_TOKEN = "test-admin-token-0123456789";
export const TEST_ORIGIN = "http://console.test";
export const TEST_ADMIN = { email: "ops@example.com", password: "correct horse battery" };

/** The `name=value` part of a response's Set-Cookie, as a browser would send it back. */
export const cookieOf = (headers: Headers) => (headers.get("set-cookie") ?? "").split(";")[0] as string;

/** A real Admin API over a real SQLite file in a temporary data dir. */
export function startAdminApi(options: { gatewayStatusUrl?: string; gatewayProxyUrl?: string; dataDir?: string } = {}) {
  const dataDir = options.dataDir ?? mkdtempSync(path.join(tmpdir(), "gatehouse-admin-"));
  const db = openConfigDb(dataDir);
  migrateConfigDb(db);
  const app = createAdminApi({
    db,
    adminToken: TEST_TOKEN,
    gatewayStatusUrl: options.gatewayStatusUrl,
    gatewayProxyUrl: options.gatewayProxyUrl,
    dataDir,
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
    const json: any = text && response.headers.get("content-type")?.includes("json") ? JSON.parse(text) : null;
    return { status: response.status, json, text, headers: response.headers };
  }

  /** A browser-like call: no bearer token, the session cookie if given, the page's Origin. */
  async function browser(
    method: string,
    url: string,
    body?: unknown,
    cookie = "",
    headers: Record<string, string> = {},
  ) {
    const response = await app.request(`${TEST_ORIGIN}/api/v1${url}`, {
      method,
      headers: {
        ...(cookie ? { cookie } : {}),
        ...(body === undefined ? {} : { "content-type": "application/json" }),
        origin: TEST_ORIGIN,
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    // biome-ignore lint/suspicious/noExplicitAny: tests read whatever JSON came back
    const json: any = text ? JSON.parse(text) : null;
    return { status: response.status, json, text, headers: response.headers };
  }

  /** Creates the first admin through the setup link and returns its session cookie. */
  async function setUp(admin = TEST_ADMIN) {
    const token = issueSetupToken(db) as string;
    const created = await browser("POST", "/auth/setup", { ...admin, token });
    if (created.status !== 201) throw new Error(`setup failed: ${created.text}`);
    return { setupToken: token, cookie: cookieOf(created.headers), response: created };
  }

  return {
    app,
    db,
    dataDir,
    call,
    browser,
    setUp,
    close() {
      db.$client.close();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export type AdminApiHarness = ReturnType<typeof startAdminApi>;
