import type { Server } from "node:http";
import { type CertificateRow, statusToken } from "@gatehouse/db";
import { QuotaTable, WindowTable } from "@gatehouse/policies";
import type { Hono } from "hono";
import { stdoutAccessLog } from "./analytics/access-log.ts";
import { AnalyticsWriter } from "./analytics/analytics-writer.ts";
import { RequestLogShipper } from "./analytics/request-log-shipper.ts";
import { Traffic, type TrafficOptions } from "./analytics/traffic.ts";
import type { ShipOptions } from "./analytics/traffic-shipper.ts";
import type { ConfigSource, LiveRevision } from "./config/config-source.ts";
import { ControlPlane, type ControlPlaneOptions, nodeHeaders } from "./config/remote/control-plane.ts";
import { RemoteConfig } from "./config/remote/remote-config.ts";
import { ConfigWatcher, DEFAULT_CONFIG_IDLE_POLL_MS } from "./config/watch.ts";
import { DEFAULT_LIMITS, type EdgeLimits } from "./edge/limits.ts";
import { OpenConnections } from "./edge/open-connections.ts";
import { HealthHistory } from "./health/health-history.ts";
import { InflightCounts } from "./health/inflight-counts.ts";
import { HealthRegistry } from "./health/registry.ts";
import { KeyUsageRecorder } from "./policies/key-usage.ts";
import { PolicyCounts } from "./policies/policy-counts.ts";
import { QuotaCounters } from "./policies/quota-counters.ts";
import { createProxyHandler, type ProxyContext } from "./proxy/handler.ts";
import { PoolRegistry } from "./proxy/pools.ts";
import { createProxyServer, drainServer, listenOn } from "./proxy/server.ts";
import { createStatusApp, type Serving } from "./status/app.ts";
import { SniContexts } from "./tls/sni-contexts.ts";
import { createTlsProxyServer, drainTlsServer } from "./tls/tls-server.ts";
import { prepareTls } from "./tls/tls-setup.ts";
import type { WorkerTls } from "./workers/messages.ts";
import { ProxyWorkers } from "./workers/proxy-workers.ts";

export type { RuntimeConfig } from "./config/compile.ts";
export type { ConfigSource } from "./config/config-source.ts";
export type { ControlPlaneOptions } from "./config/remote/control-plane.ts";
export type { ConfigWatcher } from "./config/watch.ts";
export type { EdgeLimits } from "./edge/limits.ts";
export type { HealthRegistry } from "./health/registry.ts";

export interface GatewayDeps {
  /** Holds config.db, or a data-plane node's cache of its console's config; analytics.db either way. */
  dataDir: string;
  configPollMs: number;
  /** How often config.db is checked while file events report no change. */
  configIdlePollMs?: number;
  /** Where the proxy listens, and on how many threads: 1 proxies on this thread, more start proxy workers. */
  proxy: {
    host: string;
    port: number;
    workers: number /** HTTPS on this port (0: any free one); none: off. */;
    tlsPort?: number;
  };
  limits?: EdgeLimits;
  log?: (line: string) => void;
  /** Traffic analytics (rollups, live stream, request log, per-api metrics); false turns them off. */
  traffic?: TrafficOptions | false;
  /** Each request as a JSON line on stdout (GATEHOUSE_ACCESS_LOG=json). */
  accessLog?: boolean;
  /** Guards /stream, /requests and /workers; by default GATEHOUSE_STATUS_TOKEN or the data dir's status-token file. */
  statusToken?: string;
  /** Set on a data-plane node: the console it follows and sends its analytics to, its node token, and how it names itself. */
  controlPlane?: ControlPlaneOptions;
}

export interface Gateway {
  /** The status port's app (/healthz, /readyz, /health/upstreams/:id, /metrics); serve its `fetch` anywhere. */
  statusApp: Hono;
  config: ConfigSource;
  health: HealthRegistry;
  analytics: AnalyticsWriter;
  /** Follows config.db (or the console) and starts proxying; resolves to the proxy's URL once every proxy thread listens. */
  start(): Promise<string>;
  /** The TLS port's URL once started; null when it is off. */
  readonly tlsUrl: string | null;
  /**
   * Stops accepting, lets in-flight requests finish (up to the drain timeout), then closes what
   * is left; `onClosed` once no proxy thread accepts connections.
   */
  drain(onClosed?: () => void): Promise<void>;
  /** Stops following config and health checks, writes what analytics hold, and closes upstream pools. */
  close(): Promise<void>;
}

/**
 * Wires config, health, analytics, the proxy and the status port together. Config watching,
 * health checks, analytics and the status port are one per host, on this thread; the proxy is
 * this thread's too with one worker, or `proxy.workers` worker threads sharing the port.
 */
export function createGateway(deps: GatewayDeps): Gateway {
  const limits = deps.limits ?? DEFAULT_LIMITS;
  const log = deps.log ?? ((line: string) => console.log(line));
  const threaded = deps.proxy.workers > 1;
  const pools = new PoolRegistry();
  const healthHistory = new HealthHistory();
  let workers: ProxyWorkers | null = null;
  const inflight = threaded ? InflightCounts.share() : null;
  const health = new HealthRegistry({
    log: deps.log,
    history: healthHistory,
    onState: (state) => workers?.healthChanged(state),
    inflight: inflight === null ? undefined : new InflightCounts(inflight),
  });
  // With workers, their samples reach the host 1 ms after each second: the flush waits for them.
  const analytics = new AnalyticsWriter(deps.dataDir, log, {
    flushOffsetMs: threaded ? 50 : 5,
    ship: deps.controlPlane === undefined ? undefined : shipTo(deps.controlPlane),
  });
  analytics.add(healthHistory);
  const keyUsage = new KeyUsageRecorder();
  // With workers, quota and rate-limit counts live in shared memory: a limit holds for the host.
  const quotaTable = threaded ? new QuotaTable() : null;
  const quotas = new QuotaCounters(quotaTable);
  // With workers, policies count in each worker and the reports bring the counts here.
  const policyCounts = new PolicyCounts();
  analytics.add(keyUsage);
  analytics.add(quotas);
  const traffic = deps.traffic === false ? null : new Traffic(deps.traffic);
  if (traffic !== null) analytics.addTraffic(traffic);
  /** The TLS port's certificates on this thread; proxy workers keep their own. */
  let sni: SniContexts | null = null;
  let tlsUrl: string | null = null;
  let certificates: readonly CertificateRow[] = [];
  const onLive = (live: LiveRevision) => {
    workers?.publish(live);
    if (live.snapshot === null) return;
    // A node's config cache from before certificates has none.
    certificates = live.snapshot.certificates ?? [];
    sni?.update(certificates);
  };
  const config: ConfigSource =
    deps.controlPlane === undefined
      ? new ConfigWatcher({
          dataDir: deps.dataDir,
          pollMs: deps.configPollMs,
          idlePollMs: deps.configIdlePollMs ?? DEFAULT_CONFIG_IDLE_POLL_MS,
          pools,
          health,
          counters: quotas,
          metrics: policyCounts,
          log: deps.log,
          onLive,
        })
      : new RemoteConfig({
          dataDir: deps.dataDir,
          console: new ControlPlane(deps.controlPlane),
          pools,
          health,
          counters: quotas,
          metrics: policyCounts,
          log: deps.log,
          onLive,
          workers: threaded,
        });

  let serving: Serving;
  let proxy: { start(tls: WorkerTls | null): Promise<string>; drain(onClosed?: () => void): Promise<void> };
  if (threaded) {
    workers = new ProxyWorkers({
      count: deps.proxy.workers,
      host: deps.proxy.host,
      port: deps.proxy.port,
      inflight: inflight as SharedArrayBuffer,
      windows: WindowTable.allocate(),
      quotaTable: (quotaTable as QuotaTable).share(),
      keys: config.keys,
      limits,
      traffic: deps.traffic ?? {},
      accessLog: deps.accessLog === true,
      log,
      health,
      keyUsage,
      quotas,
      policyCounts,
      hostTraffic: traffic,
      // A node tells the console the revision its workers serve, not one still on its way to them.
      onServed: config instanceof RemoteConfig ? (revision) => config.served(revision) : undefined,
    });
    serving = workers;
    const started = workers;
    proxy = {
      start: async (tls) => {
        const url = await started.start(tls);
        tlsUrl = started.tlsUrl;
        return url;
      },
      drain: (onClosed) => started.drain(limits.drainTimeoutMs, onClosed),
    };
  } else {
    const context: ProxyContext = {
      config,
      limits,
      log,
      draining: false,
      keyUsage,
      samples: traffic ?? undefined,
      accessLog: deps.accessLog === true ? stdoutAccessLog : undefined,
      requests: 0,
    };
    const connections = new OpenConnections(OpenConnections.share(1), 0);
    const server = createProxyServer(context, limits, connections);
    serving = singleThread(config, context, traffic, connections);
    let tlsServer: ReturnType<typeof createTlsProxyServer> | null = null;
    proxy = {
      start: async (tls) => {
        if (tls !== null && sni !== null) {
          tlsServer = createTlsProxyServer(createProxyHandler(context, "https"), sni, limits, connections);
          const port = new URL(await listenOn(tlsServer, tls.port, deps.proxy.host)).port;
          context.tlsPort = Number(port);
          tlsUrl = `https://${deps.proxy.host.includes(":") ? `[${deps.proxy.host}]` : deps.proxy.host}:${port}`;
        }
        return listenOn(server, deps.proxy.port, deps.proxy.host);
      },
      drain: async (onClosed) => {
        const drained = Promise.all([
          drainServer(server as Server, context, limits.drainTimeoutMs),
          tlsServer === null ? null : drainTlsServer(tlsServer, limits.drainTimeoutMs),
        ]);
        onClosed?.();
        await drained;
      },
    };
  }

  // A node's request log shows in the console's, beside the console's own gateway's.
  const requestLogShipper =
    deps.controlPlane === undefined || traffic === null
      ? null
      : new RequestLogShipper({ read: (filter) => serving.requests(filter), console: shipTo(deps.controlPlane), log });

  return {
    statusApp: createStatusApp({
      config,
      health,
      serving,
      policyCounts,
      token: deps.statusToken ?? statusToken(deps.dataDir),
      analytics: traffic === null ? undefined : { feed: traffic.feed, metrics: traffic.metrics },
      certificates: () => certificates,
    }),
    config,
    health,
    analytics,
    get tlsUrl() {
      return tlsUrl;
    },
    async start() {
      const tls = deps.proxy.tlsPort === undefined ? null : await prepareTls(deps.dataDir, deps.proxy.tlsPort);
      if (tls !== null && !threaded) {
        sni = new SniContexts({ secretsKey: Buffer.from(tls.secretsKey), fallback: tls.fallback, log });
      }
      try {
        analytics.read((sqlite) => quotas.load(sqlite));
      } catch (error) {
        log(
          `analytics: cannot read quota counts from analytics.db (${(error as Error).message}); quotas count from zero`,
        );
      }
      config.start();
      analytics.start();
      requestLogShipper?.start();
      return proxy.start(tls);
    },
    drain: (onClosed) => proxy.drain(onClosed),
    async close() {
      await requestLogShipper?.stop();
      await analytics.stop();
      await config.stop();
      await health.close();
      await pools.close();
    },
  };
}

/** A node's analytics go to its console, under the headers it names itself with on every call. */
function shipTo(controlPlane: ControlPlaneOptions): ShipOptions {
  return { url: controlPlane.url, token: controlPlane.token, headers: nodeHeaders(controlPlane) };
}

/** The proxy on this thread: one worker, whose counts are here already. */
function singleThread(
  config: ConfigSource,
  context: ProxyContext,
  traffic: Traffic | null,
  connections: OpenConnections,
): Serving {
  return {
    running: () => 1,
    openConnections: () => connections.total,
    revision: () => config.current?.revision ?? null,
    requestsByWorker: () => [context.requests],
    restarts: 0,
    sync: () => Promise.resolve(),
    requests: (filter) =>
      Promise.resolve({
        entries: traffic?.requestLog.query(filter) ?? [],
        sampleRate: traffic?.requestLog.sampleRate ?? 1,
      }),
    kill: () => false,
  };
}
