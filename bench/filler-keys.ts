import { generateApiKey } from "@gatehouse/policies/api-key";
import type Database from "better-sqlite3";

/**
 * `count` API keys of one consumer straight into config.db, in one transaction: issuing a
 * million through the Admin API, one request each, would take many minutes.
 */
export function insertFillerKeys(sqlite: Database.Database, consumerId: string, count: number): void {
  const insert = sqlite.prepare("INSERT INTO api_keys (id, consumer_id, name, prefix, hash) VALUES (?, ?, '', ?, ?)");
  sqlite.transaction(() => {
    for (let i = 0; i < count; i++) {
      const key = generateApiKey();
      // As long as a real key id, so the index holds strings of the real size.
      insert.run(`key_filler_${i.toString(36).padStart(13, "0")}`, consumerId, key.prefix, key.hash);
    }
  })();
}
