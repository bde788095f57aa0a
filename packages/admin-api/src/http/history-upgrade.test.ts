import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { migrationsFolder, openConfigDb } from "@gatehouse/db";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { afterEach, expect, test } from "vitest";
import { type AdminApiHarness, startAdminApi } from "../test-support/admin-api-harness.ts";

let h: AdminApiHarness | undefined;
afterEach(() => h?.close());

/** The migrations as a release before config history shipped them: up to 0004. */
function migrationsBeforeHistory(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "gatehouse-old-migrations-"));
  cpSync(migrationsFolder(), dir, { recursive: true });
  const journalPath = path.join(dir, "meta", "_journal.json");
  const journal = JSON.parse(readFileSync(journalPath, "utf8")) as { entries: Array<{ tag: string }> };
  journal.entries = journal.entries.filter((entry) => entry.tag < "0005");
  writeFileSync(journalPath, JSON.stringify(journal));
  return dir;
}

test("[HISTORY] a config.db from before config history keeps its revisions, and its history starts where it stood", async () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), "gatehouse-upgrade-"));
  const old = openConfigDb(dataDir);
  migrate(old, { migrationsFolder: migrationsBeforeHistory() });
  const at = new Date().toISOString();
  old.$client.exec(`
    INSERT INTO upstreams (id, name) VALUES ('ups_0000old1', 'legacy-pool');
    INSERT INTO targets (id, upstream_id, url) VALUES ('tgt_0000old1', 'ups_0000old1', 'http://127.0.0.1:9009');
    INSERT INTO apis (id, name, slug, upstream_id) VALUES ('api_0000old1', 'Legacy', 'legacy', 'ups_0000old1');
    INSERT INTO routes (id, api_id, paths) VALUES ('rte_0000old1', 'api_0000old1', '["/legacy"]');
  `);
  const audit = old.$client.prepare(
    "INSERT INTO audit_log (at, actor, action, entity_type, entity_id) VALUES (?, 'admin:ops@example.com', 'create', ?, ?)",
  );
  audit.run(at, "upstream", "ups_0000old1");
  audit.run(at, "api", "api_0000old1");
  old.$client.close();

  h = startAdminApi({ dataDir });
  expect((await h.call("GET", "/revision")).json.revision).toBe(2);
  const audited = (await h.call("GET", "/audit")).json.data;
  expect(
    audited.map((row: { id: number; revision: number; source: string }) => [row.id, row.revision, row.source]),
  ).toEqual([
    [2, 2, "api"],
    [1, 1, "api"],
  ]);
  const history = (await h.call("GET", "/revisions")).json;
  expect(history.historyStart).toBe(2);
  expect((await h.call("POST", "/revisions/1/rollback", {})).status).toBe(404);
  expect((await h.call("POST", "/revisions/2/rollback", { dryRun: true })).json.changes).toEqual([]);

  const api = (await h.call("PATCH", "/apis/api_0000old1", { enabled: false })).json;
  expect(api.enabled).toBe(false);
  const rolled = await h.call("POST", "/revisions/2/rollback", {});
  expect(rolled.json).toMatchObject({ applied: true, revision: 4, summary: { create: 0, update: 1, delete: 0 } });
  expect((await h.call("GET", "/apis/api_0000old1")).json.enabled).toBe(true);
});
