import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { consumers } from "@gatehouse/db";
import { TestConfigDb } from "../apps/gateway/src/test-support/config-db.ts";
import { insertFillerKeys } from "./filler-keys.ts";

/**
 * A new data dir whose config.db holds `count` keys of one consumer; the caller removes it.
 * Imported only by the process that seeds: drizzle would add its own RSS to one that measures.
 */
export function keyConfigDir(count: number): string {
  const dir = mkdtempSync(path.join(tmpdir(), "gatehouse-keys-"));
  console.log(`seeding ${count.toLocaleString("en")} keys`);
  const config = new TestConfigDb(dir);
  config.db.insert(consumers).values({ id: "con_bench", name: "bench" }).run();
  insertFillerKeys(config.db.$client, "con_bench", count);
  config.db.$client.close();
  return dir;
}
