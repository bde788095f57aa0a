import { errorBody } from "@gatehouse/shared";
import { Hono } from "hono";
import type { ConfigWatcher } from "../config/watch.ts";
import type { HealthRegistry } from "../health/registry.ts";
import { renderMetrics } from "./metrics.ts";

type ConfigStatus = Pick<ConfigWatcher, "current" | "error" | "waiting">;

/** The status port: liveness, readiness with the live config revision, upstream health and metrics. */
export function createStatusApp(config: ConfigStatus, health: HealthRegistry): Hono {
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
    c.body(renderMetrics(config.current?.revision ?? null, health), 200, {
      "content-type": "text/plain; version=0.0.4; charset=utf-8",
    }),
  );

  app.notFound((c) => c.json(errorBody("not_found", `No status endpoint at ${c.req.path}`), 404));
  return app;
}
