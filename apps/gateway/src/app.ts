import { createServer, type Server } from "node:http";
import { statusToken } from "@gatehouse/db";
import type { Hono } from "hono";
import { AnalyticsWriter } from "./analytics/analytics-writer.ts";
import { Traffic, type TrafficOptions } from "./analytics/traffic.ts";
import { ConfigWatcher, DEFAULT_CONFIG_IDLE_POLL_MS } from "./config/watch.ts";
import { createClientErrorHandler } from "./edge/client-error.ts";
import { DEFAULT_LIMITS, type EdgeLimits, serverOptions } from "./edge/limits.ts";
import { HealthHistory } from "./health/health-history.ts";
import { HealthRegistry } from "./health/registry.ts";
import { KeyUsageRecorder } from "./policies/key-usage.ts";
import { QuotaCounters } from "./policies/quota-counters.ts";
import { createProxyHandler, type ProxyContext } from "./proxy/handler.ts";
import { PoolRegistry } from "./proxy/pools.ts";
import { createStatusApp } from "./status/app.ts";

export type { RuntimeConfig } from "./config/compile.ts";
export type { ConfigWatcher } from "./config/watch.ts";
export type { EdgeLimits } from "./edge/limits.ts";
export type { HealthRegistry } from "./health/registry.ts";

export interface GatewayDeps {
  dataDir: string;
  configPollMs: number;
  /** How often config.db is checked while file events report no change. */
  configIdlePollMs?: number;
  limits?: EdgeLimits;
  log?: (line: string) => void;
  /** Traffic analytics (rollups, live stream, request log, per-api metrics); false turns them off. */
  traffic?: TrafficOptions | false;
  /** Guards /stream and /requests; by default GATEHOUSE_STATUS_TOKEN or the data dir's status-token file. */
  statusToken?: string;
}

export interface Gateway {
  /** The proxy port's server, not listening yet. */
  proxyServer: Server;
  /** The status port's app (/healthz, /readyz, /health/upstreams/:id, /metrics); serve its `fetch` anywhere. */
  statusApp: Hono;
  config: ConfigWatcher;
  pools: PoolRegistry;
  health: HealthRegistry;
  keyUsage: KeyUsageRecorder;
  analytics: AnalyticsWriter;
  /** Null when analytics are off. */
  traffic: Traffic | null;
  /** Starts following config.db. */
  start(): void;
  /** Stops accepting, lets in-flight requests finish (up to the drain timeout), then closes what is left. */
  drain(): Promise<void>;
  /** Stops following config and health checks, and closes upstream pools once their requests finish. */
  close(): Promise<void>;
}

/** Dropped connections are logged at most this often, with a count. */
const DROP_LOG_INTERVAL_MS = 10_000;

/** Wires config, pools, proxy and status together. Listening is the caller's job (index.ts, tests). */
export function createGateway(deps: GatewayDeps): Gateway {
  const limits = deps.limits ?? DEFAULT_LIMITS;
  const log = deps.log ?? ((line: string) => console.log(line));
  const pools = new PoolRegistry();
  const healthHistory = new HealthHistory();
  const health = new HealthRegistry({ log: deps.log, history: healthHistory });
  const analytics = new AnalyticsWriter(deps.dataDir, log);
  analytics.add(healthHistory);
  const keyUsage = new KeyUsageRecorder();
  const quotas = new QuotaCounters();
  analytics.add(keyUsage);
  analytics.add(quotas);
  const traffic = deps.traffic === false ? null : new Traffic(deps.traffic);
  if (traffic !== null) analytics.addTraffic(traffic);
  const config = new ConfigWatcher({
    dataDir: deps.dataDir,
    pollMs: deps.configPollMs,
    idlePollMs: deps.configIdlePollMs ?? DEFAULT_CONFIG_IDLE_POLL_MS,
    pools,
    health,
    counters: quotas,
    log: deps.log,
  });
  const context: ProxyContext = { config, limits, log, draining: false, keyUsage, samples: traffic ?? undefined };
  const proxyServer = createServer(serverOptions(limits), createProxyHandler(context));
  proxyServer.maxConnections = limits.maxConnections;
  proxyServer.on("clientError", createClientErrorHandler(limits));
  proxyServer.on("drop", countDrops(limits.maxConnections, log));
  return {
    proxyServer,
    statusApp: createStatusApp(
      config,
      health,
      traffic === null
        ? undefined
        : {
            token: deps.statusToken ?? statusToken(deps.dataDir),
            feed: traffic.feed,
            requestLog: traffic.requestLog,
            metrics: traffic.metrics,
          },
    ),
    config,
    pools,
    health,
    keyUsage,
    analytics,
    traffic,
    start() {
      try {
        analytics.read((sqlite) => quotas.load(sqlite));
      } catch (error) {
        log(
          `analytics: cannot read quota counts from analytics.db (${(error as Error).message}); quotas count from zero`,
        );
      }
      config.start();
      analytics.start();
    },
    drain: () => drainServer(proxyServer, context, limits.drainTimeoutMs),
    async close() {
      await analytics.stop();
      await config.stop();
      await health.close();
      await pools.close();
    },
  };
}

async function drainServer(server: Server, context: ProxyContext, timeoutMs: number): Promise<void> {
  context.draining = true;
  const drained = new Promise<void>((resolve) => server.close(() => resolve()));
  // Keep-alive sockets that finish their request become idle: close them as they do.
  const idle = setInterval(() => server.closeIdleConnections(), 100);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, timeoutMs);
  });
  await Promise.race([drained, timeout]);
  clearTimeout(timer);
  clearInterval(idle);
  server.closeAllConnections();
}

/** The `drop` listener: one line for the first connection over the cap, then a count at most every 10 s. */
function countDrops(maxConnections: number, log: (line: string) => void) {
  let dropped = 0;
  let loggedAt = Number.NEGATIVE_INFINITY;
  return function onDrop(): void {
    dropped++;
    const now = performance.now();
    if (now - loggedAt < DROP_LOG_INTERVAL_MS) return;
    loggedAt = now;
    log(`edge: ${maxConnections} client connections open, refused ${dropped} new connection(s)`);
    dropped = 0;
  };
}
