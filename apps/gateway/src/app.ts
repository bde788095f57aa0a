import { createServer, type Server } from "node:http";
import type { Hono } from "hono";
import { ConfigWatcher } from "./config/watch.ts";
import { HealthRegistry } from "./health/registry.ts";
import { createProxyHandler } from "./proxy/handler.ts";
import { PoolRegistry } from "./proxy/pools.ts";
import { createStatusApp } from "./status/app.ts";

export type { RuntimeConfig } from "./config/compile.ts";
export type { ConfigWatcher } from "./config/watch.ts";
export type { HealthRegistry } from "./health/registry.ts";

export interface GatewayDeps {
  dataDir: string;
  configPollMs: number;
  log?: (line: string) => void;
}

export interface Gateway {
  /** The proxy port's server, not listening yet. */
  proxyServer: Server;
  /** The status port's app (/healthz, /readyz, /health/upstreams/:id, /metrics); serve its `fetch` anywhere. */
  statusApp: Hono;
  config: ConfigWatcher;
  pools: PoolRegistry;
  health: HealthRegistry;
  /** Starts following config.db. */
  start(): void;
  /** Stops following config and health checks, and closes upstream pools once their requests finish. */
  close(): Promise<void>;
}

/** Wires config, pools, proxy and status together. Listening is the caller's job (index.ts, tests). */
export function createGateway(deps: GatewayDeps): Gateway {
  const pools = new PoolRegistry();
  const health = new HealthRegistry({ log: deps.log });
  const config = new ConfigWatcher({ dataDir: deps.dataDir, pollMs: deps.configPollMs, pools, health, log: deps.log });
  const proxyServer = createServer(
    // Long uploads and downloads are bounded by the upstream's read timeout, not by Node's 5 min default.
    { requestTimeout: 0, keepAliveTimeout: 5_000 },
    createProxyHandler(config),
  );
  return {
    proxyServer,
    statusApp: createStatusApp(config, health),
    config,
    pools,
    health,
    start: () => config.start(),
    async close() {
      await config.stop();
      await health.close();
      await pools.close();
    },
  };
}
