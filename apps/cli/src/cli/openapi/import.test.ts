import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { runCli } from "../test-support/run-cli.ts";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "gatehouse-cli-"));
});

describe("[OPENAPI] gatehouse openapi import", () => {
  test("a document that does not parse is told with its line, before the console is asked", async () => {
    const file = path.join(dir, "broken.yaml");
    writeFileSync(file, "openapi: 3.0.3\npaths:\n  /pets: [get\n");
    const run = await runCli(["openapi", "import", file, "--url", "http://127.0.0.1:9"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /^gatehouse openapi import: .*broken\.yaml does not parse:\n {2}.*broken\.yaml \(line 4, column 1\): /,
    );
  });
});
