import { createHash } from "node:crypto";
import type { UpstreamTls } from "@gatehouse/shared";

/** The TLS options undici's connector hands to `tls.connect` for one pool's https:// targets. */
export interface PoolTlsOptions {
  /** Always stated: a pool verifies its targets unless it says `skipVerify`. */
  rejectUnauthorized: boolean;
  ca?: string;
  servername?: string;
  cert?: string;
  key?: string;
}

export interface CompiledPoolTls {
  options: PoolTlsOptions;
  /** Part of the pool key: a change to the settings opens new connections, the same settings keep the warm ones. */
  digest: string;
}

/** Built once per pool per revision; every target of the pool shares it. */
export function compilePoolTls(tls: UpstreamTls): CompiledPoolTls {
  const options: PoolTlsOptions = { rejectUnauthorized: !tls.skipVerify };
  if (tls.caBundle !== undefined) options.ca = tls.caBundle;
  if (tls.serverName !== undefined) options.servername = tls.serverName;
  if (tls.clientCertificate !== undefined && tls.clientKey !== undefined) {
    options.cert = tls.clientCertificate;
    options.key = tls.clientKey;
  }
  const digest = createHash("sha256").update(JSON.stringify(options)).digest("base64url").slice(0, 16);
  return { options, digest };
}
