import { tokenMatches } from "@gatehouse/db";
import { errorBody, fieldErrors, gatewayRequestLogQuerySchema } from "@gatehouse/shared";
import { Hono, type MiddlewareHandler } from "hono";
import { streamSSE } from "hono/streaming";
import type { LiveFeed } from "../analytics/live-feed.ts";
import type { RequestLog } from "../analytics/request-log.ts";
import type { TrafficMetrics } from "../analytics/traffic-metrics.ts";
import type { ConfigWatcher } from "../config/watch.ts";
import type { HealthRegistry } from "../health/registry.ts";
import { renderMetrics } from "./metrics.ts";

type ConfigStatus = Pick<ConfigWatcher, "current" | "error" | "waiting">;

/** The traffic side of the status port; absent when analytics are off. */
export interface StatusAnalytics {
  token: string;
  feed: LiveFeed;
  requestLog: RequestLog;
  metrics: TrafficMetrics;
}

/**
 * The status port: liveness, readiness with the live config revision, upstream health and
 * metrics; with analytics on, the live stream of each second's rollups and the request log,
 * both behind the status token as they carry paths and consumer ids.
 */
export function createStatusApp(config: ConfigStatus, health: HealthRegistry, analytics?: StatusAnalytics): Hono {
  const app = new Hono();

  app.get("/healthz", (c) => c.json({ status: "ok" }));

  app.get("/readyz", (c) => {
    const live = config.current;
    if (live === null) {
      return c.json(
        { ready: false, reason: config.waiting ?? config.error ?? "no config loaded", error: config.error },
        503,
      );
    }
    return c.json({
      revision: live.revision,
      routes: live.routeCount,
      apis: live.apiCount,
      error: config.error,
      loadedAt: live.loadedAt,
    });
  });

  app.get("/health/upstreams/:id", (c) => {
    const id = c.req.param("id");
    const view = health.view(id);
    if (view === null) return c.json(errorBody("not_found", `upstream ${id} does not exist`), 404);
    return c.json(view);
  });

  app.get("/metrics", (c) =>
    c.body(renderMetrics(config.current, health, analytics?.metrics), 200, {
      "content-type": "text/plain; version=0.0.4; charset=utf-8",
    }),
  );

  if (analytics !== undefined) {
    const requireToken: MiddlewareHandler = async (c, next) => {
      const header = c.req.header("authorization");
      const presented = header?.startsWith("Bearer ") ? header.slice(7) : undefined;
      if (!tokenMatches(presented, analytics.token)) {
        return c.json(errorBody("unauthorized", "Send the status token as Authorization: Bearer <token>"), 401);
      }
      await next();
    };

    app.get("/stream", requireToken, (c) =>
      streamSSE(c, async (stream) => {
        const closed = new Promise<void>((resolve) => stream.onAbort(resolve));
        const unsubscribe = analytics.feed.subscribe((json) => void stream.writeSSE({ data: json }));
        await closed;
        unsubscribe();
      }),
    );

    app.get("/requests", requireToken, (c) => {
      const parsed = gatewayRequestLogQuerySchema.safeParse(c.req.query());
      if (!parsed.success) {
        return c.json(
          errorBody("validation_failed", "Invalid request log filter", undefined, fieldErrors(parsed.error)),
          400,
        );
      }
      return c.json({ entries: analytics.requestLog.query(parsed.data), sampleRate: analytics.requestLog.sampleRate });
    });
  }

  app.notFound((c) => c.json(errorBody("not_found", `No status endpoint at ${c.req.path}`), 404));
  return app;
}
