import { type CertificateRow, tokenMatches } from "@gatehouse/db";
import {
  errorBody,
  fieldErrors,
  type GatewayRequestLogQuery,
  gatewayRequestLogQuerySchema,
  type RequestLogEntry,
} from "@gatehouse/shared";
import { Hono, type MiddlewareHandler } from "hono";
import { streamSSE } from "hono/streaming";
import type { LiveFeed } from "../analytics/live-feed.ts";
import type { TrafficMetrics } from "../analytics/traffic-metrics.ts";
import type { ConfigSource } from "../config/config-source.ts";
import type { HealthRegistry } from "../health/registry.ts";
import type { PolicyCounts } from "../policies/policy-counts.ts";
import { renderCertificateExpiry } from "../tls/certificate-metrics.ts";
import { renderMetrics } from "./metrics.ts";

type ConfigStatus = Pick<ConfigSource, "current" | "error" | "waiting" | "controlPlane">;

/** The traffic side of the status port; absent when analytics are off. */
export interface StatusAnalytics {
  feed: LiveFeed;
  metrics: TrafficMetrics;
}

/** The threads that proxy: the gateway's own, or its proxy workers. */
export interface Serving {
  /** How many proxy threads run now. */
  running(): number;
  /** Client connections open on the proxy port, all threads together. */
  openConnections(): number;
  /** The revision every running proxy thread serves; null while none serves one. */
  revision(): number | null;
  /** Requests taken, by worker index, since the gateway started. */
  requestsByWorker(): readonly number[];
  /** Workers started in place of one that exited. */
  readonly restarts: number;
  /** Brings what the proxy threads counted to this thread, so an answer includes every request so far. */
  sync(): Promise<void>;
  requests(filter: GatewayRequestLogQuery): Promise<{ entries: RequestLogEntry[]; sampleRate: number }>;
  /** Ends a proxy worker as a crash would; false when there is no such worker. */
  kill(index: number): boolean;
}

export interface StatusAppOptions {
  config: ConfigStatus;
  health: HealthRegistry;
  serving: Serving;
  /** What policies counted, all threads together. */
  policyCounts?: PolicyCounts;
  /** Guards what carries paths and consumer ids (/stream, /requests) and what changes the gateway (/workers). */
  token: string;
  analytics?: StatusAnalytics;
  /** The live revision's TLS certificates, for their expiry in /metrics. */
  certificates?: () => readonly CertificateRow[];
}

/**
 * The status port: liveness, readiness with the live config revision, upstream health and
 * metrics; with analytics on, the live stream of each second's rollups and the request log,
 * both behind the status token as they carry paths and consumer ids.
 */
export function createStatusApp({
  config,
  health,
  serving,
  policyCounts,
  token,
  analytics,
  certificates,
}: StatusAppOptions): Hono {
  const app = new Hono();
  const requireToken: MiddlewareHandler = async (c, next) => {
    const header = c.req.header("authorization");
    const presented = header?.startsWith("Bearer ") ? header.slice(7) : undefined;
    if (!tokenMatches(presented, token)) {
      return c.json(errorBody("unauthorized", "Send the status token as Authorization: Bearer <token>"), 401);
    }
    await next();
  };

  app.get("/healthz", (c) => c.json({ status: "ok" }));

  app.get("/readyz", (c) => {
    const live = config.current;
    if (live === null) {
      return c.json(
        {
          ready: false,
          reason: config.waiting ?? config.error ?? "no config loaded",
          error: config.error,
          ...config.controlPlane,
        },
        503,
      );
    }
    const revision = serving.revision();
    if (revision === null) {
      return c.json(
        { ready: false, reason: "the proxy workers are starting", error: config.error, ...config.controlPlane },
        503,
      );
    }
    return c.json({
      revision,
      workers: serving.running(),
      routes: live.routeCount,
      apis: live.apiCount,
      error: config.error,
      loadedAt: live.loadedAt,
      ...config.controlPlane,
    });
  });

  app.get("/health/upstreams/:id", async (c) => {
    await serving.sync();
    const id = c.req.param("id");
    const view = health.view(id);
    if (view === null) return c.json(errorBody("not_found", `upstream ${id} does not exist`), 404);
    return c.json(view);
  });

  app.get("/metrics", async (c) => {
    await serving.sync();
    const expiry = certificates === undefined ? "" : renderCertificateExpiry(certificates());
    return c.body(renderMetrics(config.current, health, serving, analytics?.metrics, policyCounts) + expiry, 200, {
      "content-type": "text/plain; version=0.0.4; charset=utf-8",
    });
  });

  app.post("/workers/:index/kill", requireToken, (c) => {
    const index = Number(c.req.param("index"));
    if (!Number.isInteger(index) || !serving.kill(index)) {
      return c.json(errorBody("not_found", `No proxy worker ${c.req.param("index")} to stop`), 404);
    }
    return c.json({ killed: index }, 202);
  });

  if (analytics !== undefined) {
    app.get("/stream", requireToken, (c) =>
      streamSSE(c, async (stream) => {
        const closed = new Promise<void>((resolve) => stream.onAbort(resolve));
        const unsubscribe = analytics.feed.subscribe((json) => void stream.writeSSE({ data: json }));
        await closed;
        unsubscribe();
      }),
    );

    app.get("/requests", requireToken, async (c) => {
      const parsed = gatewayRequestLogQuerySchema.safeParse(c.req.query());
      if (!parsed.success) {
        return c.json(
          errorBody("validation_failed", "Invalid request log filter", undefined, fieldErrors(parsed.error)),
          400,
        );
      }
      return c.json(await serving.requests(parsed.data));
    });
  }

  app.notFound((c) => c.json(errorBody("not_found", `No status endpoint at ${c.req.path}`), 404));
  return app;
}
