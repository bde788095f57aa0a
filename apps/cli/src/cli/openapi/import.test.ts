import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { PETSTORE } from "@gatehouse/admin-api/test-support/petstore";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { stringify } from "yaml";
import { type ConsoleServer, startConsoleServer } from "../test-support/console-server.ts";
import { runCli } from "../test-support/run-cli.ts";

let live: ConsoleServer;
let dir: string;
beforeAll(async () => {
  live = await startConsoleServer();
  dir = mkdtempSync(path.join(tmpdir(), "gatehouse-cli-"));
});
afterAll(() => live.close());

describe("[OPENAPI] gatehouse openapi import", () => {
  test("a dry run shows the API it would make; the import makes it; again, no changes", async () => {
    const pool = await live.admin.call("POST", "/upstreams", {
      name: "pets-pool",
      targets: [{ url: "http://127.0.0.1:9000" }],
    });
    const file = path.join(dir, "petstore.yaml");
    writeFileSync(file, stringify(PETSTORE));
    const args = ["openapi", "import", file, "--name", "Pets", "--upstream", pool.json.id, "--validate"];

    const dry = await runCli([...args, "--dry-run"], { env: live.env });
    expect(dry).toMatchObject({ code: 0, stderr: "" });
    expect(dry.stdout).toMatch(/^apis\n {2}\+ Pets\n/);
    expect(dry.stdout).toMatch(/\ndry run: nothing applied \(revision \d+\)\n$/);
    expect((await live.admin.call("GET", "/apis")).json.data).toEqual([]);

    const done = await runCli(args, { env: live.env });
    expect(done).toMatchObject({ code: 0, stderr: "" });
    expect(done.stdout).toMatch(/\napplied: revision \d+\n$/);
    const [api] = (await live.admin.call("GET", "/apis")).json.data;
    expect(api).toMatchObject({ name: "Pets", upstreamId: pool.json.id });
    expect(api.routes.map((route: { name: string }) => route.name).sort()).toEqual([
      "createPet",
      "listPets",
      "showPet",
    ]);
    const policies = (await live.admin.call("GET", "/policies")).json.data;
    expect(policies.map((policy: { type: string }) => policy.type)).toEqual(Array(3).fill("request-validation"));

    expect(await runCli(args, { env: live.env })).toMatchObject({ code: 0, stdout: "no changes\n", stderr: "" });
  });

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
