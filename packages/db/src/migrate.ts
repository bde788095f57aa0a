import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import type { ConfigDb } from "./client.ts";

const JOURNAL = path.join("meta", "_journal.json");

/**
 * The committed `migrations/` folder (config.db), or its `analytics/` subfolder. Bundlers
 * (Next) move this module, so besides its own location we also look upward from the
 * working directory.
 */
export function migrationsFolder(database: "config" | "analytics" = "config"): string {
  const sub = database === "config" ? "" : database;
  const candidates: string[] = [];
  if (process.env.GATEHOUSE_MIGRATIONS_DIR) candidates.push(path.join(process.env.GATEHOUSE_MIGRATIONS_DIR, sub));
  if (import.meta.url.startsWith("file:")) {
    candidates.push(path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../migrations", sub));
  }
  for (let dir = process.cwd(); ; dir = path.dirname(dir)) {
    candidates.push(path.join(dir, "migrations", sub));
    if (path.dirname(dir) === dir) break;
  }
  const found = candidates.find((dir) => existsSync(path.join(dir, JOURNAL)));
  if (!found) throw new Error(`No migrations folder found (looked in ${candidates.join(", ")})`);
  return found;
}

export function migrateConfigDb(db: ConfigDb): void {
  migrate(db, { migrationsFolder: migrationsFolder() });
}
