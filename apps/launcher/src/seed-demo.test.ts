import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { listApis } from "@gatehouse/admin-api";
import { apis, type ConfigDb, migrateConfigDb, openConfigDb } from "@gatehouse/db";
import { afterEach, beforeEach, expect, test } from "vitest";
import { seedDemo } from "./seed-demo.ts";

let dir: string;
let db: ConfigDb;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "gatehouse-seed-"));
  db = openConfigDb(dir);
  migrateConfigDb(db);
});
afterEach(() => {
  db.$client.close();
  rmSync(dir, { recursive: true, force: true });
});

test("the demo API is published on the first start only, and stays deleted once deleted", () => {
  expect(seedDemo(db, "http://127.0.0.1:9000")).toBe("seeded");
  const page = listApis(db, {});
  expect(page.data.map((api) => [api.name, api.routes[0]?.paths, api.upstream?.targets[0]?.url])).toEqual([
    ["Demo", ["/demo"], "http://127.0.0.1:9000"],
  ]);
  expect(seedDemo(db, "http://127.0.0.1:9000")).toBe("already");
  db.delete(apis).run();
  expect(seedDemo(db, "http://127.0.0.1:9000")).toBe("already");
  expect(listApis(db, {}).total).toBe(0);
});
