import { createApi } from "@gatehouse/admin-api";
import { type ConfigDb, settings } from "@gatehouse/db";
import { GatehouseError } from "@gatehouse/shared";
import { eq } from "drizzle-orm";

const SEEDED = "demo_seeded";

/**
 * On the first start only, publishes a demo API at /demo routed to the demo echo upstream.
 * Remembered in settings, so a demo the user deleted does not come back.
 */
export function seedDemo(db: ConfigDb, demoUrl: string): "seeded" | "already" | "name-taken" {
  if (db.select().from(settings).where(eq(settings.key, SEEDED)).get()) return "already";
  try {
    createApi(
      { db, actor: "system:seed" },
      {
        name: "Demo",
        description: "Echoes each request back; created on first start",
        upstream: { name: "demo-echo", targets: [{ url: demoUrl }] },
        routes: [{ paths: ["/demo"], stripPath: true }],
      },
    );
  } catch (error) {
    if (!(error instanceof GatehouseError && error.code === "conflict")) throw error;
    markSeeded(db);
    return "name-taken";
  }
  markSeeded(db);
  return "seeded";
}

function markSeeded(db: ConfigDb): void {
  db.insert(settings).values({ key: SEEDED, value: new Date().toISOString() }).onConflictDoNothing().run();
}
