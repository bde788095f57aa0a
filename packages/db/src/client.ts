import { mkdirSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { type BetterSQLite3Database, drizzle } from "drizzle-orm/better-sqlite3";
import * as schema from "./schema/index.ts";

export type ConfigDb = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

/** `GATEHOUSE_DATA_DIR`, default `./data`, made absolute once so every process agrees. */
export function resolveDataDir(value = process.env.GATEHOUSE_DATA_DIR): string {
  return path.resolve(value && value.length > 0 ? value : "data");
}

export function configDbPath(dataDir: string): string {
  return path.join(dataDir, "config.db");
}

export interface OpenOptions {
  readonly?: boolean;
  busyTimeoutMs?: number;
}

export function openConfigDb(dataDir: string, options: OpenOptions = {}): ConfigDb {
  const file = configDbPath(dataDir);
  if (!options.readonly) mkdirSync(dataDir, { recursive: true });
  const sqlite = new Database(file, { readonly: options.readonly ?? false, fileMustExist: options.readonly ?? false });
  sqlite.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
  if (!options.readonly) {
    sqlite.pragma("journal_mode = WAL");
    sqlite.pragma("synchronous = NORMAL");
  }
  sqlite.pragma("foreign_keys = ON");
  return drizzle({ client: sqlite, schema });
}
