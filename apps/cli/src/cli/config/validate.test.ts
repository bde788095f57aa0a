import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { CLI_MAIN, FIXTURES, REPO_ROOT, runCli } from "../test-support/run-cli.ts";

describe("[CONFIG] gatehouse config validate, through the binary", () => {
  test("a good file: one line of counts, exit 0, no console needed", async () => {
    const run = await runCli(["config", "validate", `${FIXTURES}good.yaml`], {
      env: { GATEHOUSE_CONSOLE_URL: "http://127.0.0.1:9" },
    });
    expect(run).toMatchObject({ code: 0, stderr: "" });
    expect(run.stdout).toBe("valid: 2 upstreams, 1 api, 1 route, 1 plan, 1 consumer, 4 policies\n");
  });

  test("a broken file: each error on its own line with path, line and column, exit 1", async () => {
    const run = await runCli(["config", "validate", `${FIXTURES}broken.yaml`]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    const lines = run.stderr.trimEnd().split("\n");
    expect(lines).toHaveLength(10);
    expect(lines).toContain("apis[0].routes[0].paths[0] (line 14, column 13): A path starts with /");
    expect(lines).toContain(
      'apis[0].upstream (line 11, column 5): No pool named "orders-pol" in this file\'s upstreams',
    );
  });

  test("a YAML syntax error names its line and column; a missing file says so", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "gatehouse-cli-"));
    writeFileSync(path.join(dir, "bad.yaml"), "version: 1\napis:\n  - name: Orders\n    upstream: [main\n");
    const bad = await runCli(["config", "validate", "bad.yaml"], { cwd: dir });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^bad\.yaml \(line 5, column 1\): .+\n$/);
    const missing = await runCli(["config", "validate", "nope.yaml"], { cwd: dir });
    expect(missing).toMatchObject({ code: 1, stderr: "gatehouse config validate: Cannot read nope.yaml: ENOENT\n" });
  });

  test("help, a missing argument and an unknown option", async () => {
    const help = await runCli(["config", "validate", "--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: gatehouse config validate FILE/);
    expect(await runCli(["config", "validate"])).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/Expected FILE/),
    });
    const unknown = await runCli(["config", "validate", "--strict", "x.yaml"]);
    expect(unknown).toMatchObject({ code: 1, stderr: expect.stringMatching(/Unknown option '--strict'/) });
    const verb = await runCli(["config", "validat"]);
    expect(verb.code).toBe(1);
    expect(verb.stderr).toMatch(/^Unknown command: gatehouse config validat\n/);
  });

  test("npm's bin link runs it from a subfolder of the repository", async () => {
    const bin = path.join(REPO_ROOT, "node_modules/.bin/gatehouse");
    const run = await runCli(["--help"], { command: [bin], cwd: path.join(REPO_ROOT, "packages/db") });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/gatehouse config validate {2}Check a config file offline/);
  });
});

/** A Node older than the CLI needs, if this machine has one (Debian's package often is). */
function oldNode(): string | null {
  for (const candidate of ["/usr/bin/node", "/usr/local/bin/node"]) {
    try {
      const version = execFileSync(candidate, ["-p", "process.versions.node"], { encoding: "utf8" }).trim();
      const [major = 0, minor = 0] = version.split(".").map(Number);
      if (major < 22 || (major === 22 && minor < 12)) return candidate;
    } catch {}
  }
  return null;
}

const old = oldNode();
test.skipIf(old === null)("[CONFIG] an old Node gets the launcher's message, not a loader error", async () => {
  const launcher = await runCli([], { command: [old as string, path.join(REPO_ROOT, "apps/launcher/check-node.js")] });
  const run = await runCli(["config", "validate", `${FIXTURES}good.yaml`], { command: [old as string, CLI_MAIN] });
  expect(run.code).toBe(1);
  expect(run.stderr).toMatch(/^Gatehouse needs Node\.js 22\.12 or newer/);
  expect(run.stderr).toBe(launcher.stderr);
});
