import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { newId } from "@gatehouse/shared";
import { afterEach, beforeEach, expect, test } from "vitest";
import { openConfigDb } from "./client.ts";
import { migrateConfigDb } from "./migrate.ts";
import { currentRevision } from "./revision.ts";
import { apis, upstreams } from "./schema/index.ts";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "gatehouse-db-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

test("a new data dir migrates into WAL mode with foreign keys on", () => {
  const db = openConfigDb(dir);
  migrateConfigDb(db);
  expect(db.$client.pragma("journal_mode", { simple: true })).toBe("wal");
  expect(db.$client.pragma("foreign_keys", { simple: true })).toBe(1);
  expect(currentRevision(db)).toBe(0);
  migrateConfigDb(db);
  db.$client.close();
});

test("an api cannot point at a missing upstream, and a used upstream cannot be deleted", () => {
  const db = openConfigDb(dir);
  migrateConfigDb(db);
  expect(() =>
    db
      .insert(apis)
      .values({ id: newId("api"), name: "a", slug: "a", upstreamId: "ups_missing" })
      .run(),
  ).toThrow(/FOREIGN KEY/);
  const upstreamId = newId("upstream");
  db.insert(upstreams).values({ id: upstreamId, name: "pool" }).run();
  db.insert(apis)
    .values({ id: newId("api"), name: "a", slug: "a", upstreamId })
    .run();
  expect(() => db.delete(upstreams).run()).toThrow(/FOREIGN KEY/);
  db.$client.close();
});
