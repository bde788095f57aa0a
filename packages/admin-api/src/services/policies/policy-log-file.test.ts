import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, expect, test } from "vitest";
import { type AdminApiHarness, startAdminApi } from "../../test-support/admin-api-harness.ts";

let h: AdminApiHarness;
let dir: string;
beforeEach(() => {
  h = startAdminApi();
  dir = mkdtempSync(path.join(tmpdir(), "gatehouse-log-dir-"));
});
afterEach(() => {
  h.close();
  rmSync(dir, { recursive: true, force: true });
});

test("a file-log into a directory that does not exist is refused on config.path, on create and on edit", async () => {
  const missing = path.join(dir, "nope", "access.log");
  const refused = await h.call("POST", "/policies", { type: "file-log", config: { path: missing } });
  expect(refused.status).toBe(400);
  expect(refused.json.error.fields).toEqual([
    { path: "config.path", message: `No directory ${path.dirname(missing)}` },
  ]);
  expect((await h.call("GET", "/policies")).json.data).toEqual([]);

  const made = await h.call("POST", "/policies", { type: "file-log", config: { path: path.join(dir, "access.log") } });
  expect(made.status, JSON.stringify(made.json)).toBe(201);
  const edited = await h.call("PATCH", `/policies/${made.json.id}`, { config: { path: missing } });
  expect(edited.status).toBe(400);
  expect(edited.json.error.fields[0].path).toBe("config.path");
  expect((await h.call("GET", `/policies/${made.json.id}`)).json.config.path).toBe(path.join(dir, "access.log"));
});
