import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { parse } from "yaml";
import { type ConsoleServer, startConsoleServer } from "../test-support/console-server.ts";
import { runCli } from "../test-support/run-cli.ts";

let consoles: ConsoleServer[] = [];
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "gatehouse-cli-"));
});
afterEach(async () => {
  await Promise.all(consoles.map((c) => c.close()));
  consoles = [];
});

async function newConsole() {
  const started = await startConsoleServer();
  consoles.push(started);
  return started;
}

/** A console with one of each kind of object, made through the Admin API as a user would. */
async function seeded() {
  const source = await newConsole();
  const call = async (url: string, body: unknown) => {
    const answer = await source.admin.call("POST", url, body);
    if (answer.status !== 201) throw new Error(`${url}: ${JSON.stringify(answer.json)}`);
    return answer.json;
  };
  const pool = await call("/upstreams", { name: "orders-pool", targets: [{ url: "http://127.0.0.1:9000" }] });
  const api = await call("/apis", {
    name: "Orders",
    upstreamId: pool.id,
    tags: ["shop"],
    routes: [{ name: "orders", paths: ["/orders"], methods: ["GET", "POST"] }],
  });
  await call("/policies", { type: "key-auth", apiId: api.id, config: {} });
  await call("/policies", { type: "rate-limit", routeId: api.routes[0].id, config: { limits: { minute: 100 } } });
  await call("/policies", { type: "cors", config: { origins: ["https://shop.example.com"] } });
  const plan = await call("/plans", { name: "gold", limits: { minute: 1000 } });
  await call("/consumers", { name: "acme", groups: ["partners"], planId: plan.id });
  return source;
}

const file = (name: string) => path.join(dir, name);

describe("[CONFIG] gatehouse config dump, diff and apply against a real console", () => {
  test("dump, apply to an empty console, dump again: the same text; a second apply changes nothing", async () => {
    const source = await seeded();
    const dumped = await runCli(["config", "dump", "-o", file("gatehouse.yaml")], { env: source.env });
    expect(dumped.code).toBe(0);
    expect(dumped.stderr).toMatch(/^wrote .*gatehouse\.yaml \(revision \d+\)\n$/);
    const text = readFileSync(file("gatehouse.yaml"), "utf8");
    expect(parse(text)).toMatchObject({ version: 1, apis: [{ name: "Orders", upstream: "orders-pool" }] });
    const validated = await runCli(["config", "validate", file("gatehouse.yaml")]);
    expect(validated).toMatchObject({
      code: 0,
      stdout: "valid: 1 upstream, 1 api, 1 route, 1 plan, 1 consumer, 3 policies\n",
    });

    const target = await newConsole();
    const applied = await runCli(["config", "apply", file("gatehouse.yaml")], { env: target.env });
    expect(applied.stderr).toBe("");
    expect(applied.code).toBe(0);
    expect(applied.stdout).toMatch(
      /^upstreams\n {2}\+ orders-pool\napis\n {2}\+ Orders\nplans\n {2}\+ gold\nconsumers\n {2}\+ acme\npolicies\n {2}\+ cors\n5 to create, 0 to update, 0 to delete\napplied: revision \d+\n$/,
    );

    const again = await runCli(["config", "dump"], { env: target.env });
    expect(again).toMatchObject({ code: 0, stderr: "" });
    expect(again.stdout).toBe(text);

    const twice = await runCli(["config", "apply", file("gatehouse.yaml")], { env: target.env });
    expect(twice).toMatchObject({ code: 0, stdout: "no changes\n", stderr: "" });
    expect(await runCli(["config", "diff", file("gatehouse.yaml")], { env: target.env })).toMatchObject({
      code: 0,
      stdout: "no changes\n",
    });
  });

  test("diff exits 2 on a difference, naming what changes; --dry-run applies nothing", async () => {
    const live = await seeded();
    await runCli(["config", "dump", "-o", file("gatehouse.yaml")], { env: live.env });
    const text = readFileSync(file("gatehouse.yaml"), "utf8");
    writeFileSync(file("gatehouse.yaml"), text.replace("- /orders", "- /v2/orders"));

    const diff = await runCli(["config", "diff", file("gatehouse.yaml")], { env: live.env });
    expect(diff).toMatchObject({ code: 2, stderr: "" });
    expect(diff.stdout).toMatch(/^apis\n {2}~ Orders \(api_\w+\): .*paths/);
    expect(diff.stdout).toMatch(/\n0 to create, 1 to update, 0 to delete\n$/);

    const dry = await runCli(["config", "apply", "--dry-run", file("gatehouse.yaml")], { env: live.env });
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/\ndry run: nothing applied \(revision \d+\)\n$/);
    expect((await runCli(["config", "dump"], { env: live.env })).stdout).toBe(text);
  });

  test("a change landing between the diff and the apply: nothing applied, run again", async () => {
    const live = await seeded();
    await runCli(["config", "dump", "-o", file("gatehouse.yaml")], { env: live.env });
    writeFileSync(
      file("gatehouse.yaml"),
      readFileSync(file("gatehouse.yaml"), "utf8").replace("- /orders", "- /v2/orders"),
    );
    const before = (await live.admin.call("GET", "/revision")).json.revision;
    live.afterNext("/config/diff", () =>
      live.admin.call("POST", "/upstreams", { name: "late", targets: [{ url: "http://127.0.0.1:9002" }] }),
    );
    const run = await runCli(["config", "apply", file("gatehouse.yaml")], { env: live.env });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      `gatehouse config apply: The config changed since the diff (revision ${before}); run again\n`,
    );
    const routes = (await live.admin.call("GET", "/apis")).json.data[0].routes;
    expect(routes[0].paths).toEqual(["/orders"]);
  });

  test("a file the console refuses: each field error on its line of the file, exit 1", async () => {
    const live = await newConsole();
    writeFileSync(
      file("gatehouse.yaml"),
      "version: 1\nupstreams:\n  - name: main\n    targets: [{ url: 'http://127.0.0.1:9000' }]\napis:\n  - name: Orders\n    upstream: main\n    routes:\n      - paths:\n          - orders\n",
    );
    const run = await runCli(["config", "diff", file("gatehouse.yaml")], { env: live.env });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("  apis[0].routes[0].paths[0] (line 10, column 13): A path starts with /\n");
  });

  test("dump --format json is the same config; an unreachable console or a refused token is one clear line", async () => {
    const live = await seeded();
    const yaml = await runCli(["config", "dump"], { env: live.env });
    const json = await runCli(["config", "dump", "--format", "json"], { env: live.env });
    expect(JSON.parse(json.stdout)).toEqual(parse(yaml.stdout));

    const refused = await runCli(["config", "dump"], { env: { ...live.env, GATEHOUSE_ADMIN_TOKEN: "wrong" } });
    expect(refused).toMatchObject({ code: 1, stdout: "" });
    expect(refused.stderr).toBe(
      `gatehouse config dump: The console at ${live.url} refused the admin token (401); check GATEHOUSE_ADMIN_TOKEN or --token\n`,
    );
    const url = live.url;
    await live.close();
    consoles = [];
    writeFileSync(file("gatehouse.yaml"), "version: 1\n");
    const away = await runCli(["config", "diff", "--url", url, "--token", "t", file("gatehouse.yaml")]);
    expect(away).toMatchObject({ code: 1, stdout: "" });
    expect(away.stderr).toBe(
      `gatehouse config diff: Cannot reach the console at ${url} (ECONNREFUSED); is it running (npm start)? Set --url or GATEHOUSE_CONSOLE_URL\n`,
    );
  });
});
