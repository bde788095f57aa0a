import { errorBody } from "@gatehouse/shared";
import { Hono } from "hono";
import type { ConfigWatcher } from "../config/watch.ts";

type ConfigStatus = Pick<ConfigWatcher, "current" | "error" | "waiting">;

/** The status port: liveness, and readiness with the live config revision. */
export function createStatusApp(config: ConfigStatus): Hono {
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

  app.notFound((c) => c.json(errorBody("not_found", `No status endpoint at ${c.req.path}`), 404));
  return app;
}
