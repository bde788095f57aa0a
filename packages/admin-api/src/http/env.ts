import type { ConfigDb } from "@gatehouse/db";
import type { LoginLimiter } from "../auth/login-limiter.ts";
import type { SessionAdmin } from "../auth/sessions.ts";

export interface AdminApiDeps {
  db: ConfigDb;
  /** `GATEHOUSE_ADMIN_TOKEN`: accepted as `Authorization: Bearer <token>`. */
  adminToken?: string | undefined;
  /** Base URL of the gateway's status port, for /gateway/status. */
  gatewayStatusUrl?: string | undefined;
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
  };
}
