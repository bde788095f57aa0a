import { type ConfigDb, statusToken } from "@gatehouse/db";
import { GatehouseError } from "@gatehouse/shared";
import type { LoginLimiter } from "../auth/login-limiter.ts";
import type { SessionAdmin } from "../auth/sessions.ts";

export interface AdminApiDeps {
  db: ConfigDb;
  /** `GATEHOUSE_ADMIN_TOKEN`: accepted as `Authorization: Bearer <token>`. */
  adminToken?: string | undefined;
  /** Base URL of the gateway's status port, for /gateway/status, upstream health and live analytics. */
  gatewayStatusUrl?: string | undefined;
  /** Base URL of the gateway's proxy port, for "Try it" calls made on the admin's behalf. */
  gatewayProxyUrl?: string | undefined;
  /** The token of the gateway's /stream and /requests; by default GATEHOUSE_STATUS_TOKEN or the data dir's file. */
  gatewayStatusToken?: string | undefined;
  maxBodyBytes?: number;
  /** Where analytics.db is, for the keys' last-used times. */
  dataDir?: string | undefined;
  loginLimiter?: LoginLimiter;
}

export interface AdminEnv {
  Variables: {
    requestId: string;
    actor: string;
    admin: SessionAdmin | null;
    /** The node token an operation with `auth: "node"` was called with. */
    nodeTokenId: string;
  };
}

/** The status token the gateway expects, read when first needed (the gateway may make it first). */
export function gatewayStatusToken(deps: AdminApiDeps): string {
  if (deps.gatewayStatusToken !== undefined) return deps.gatewayStatusToken;
  if (deps.dataDir === undefined) throw new GatehouseError("gateway_unavailable", "No status token configured");
  return statusToken(deps.dataDir);
}
