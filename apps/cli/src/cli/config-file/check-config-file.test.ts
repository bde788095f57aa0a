import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { FIXTURES } from "../test-support/run-cli.ts";
import { checkConfigFile } from "./check-config-file.ts";
import { formatProblem } from "./source-file.ts";

const fixture = (name: string) => readFileSync(`${FIXTURES}${name}`, "utf8");
const problemsOf = (text: string, name = "gatehouse.yaml") =>
  checkConfigFile(name, text).problems.map((problem) => formatProblem(name, problem));

const withApi = (policies: string, upstreams = "") => `version: 1
upstreams:
  - name: main
    targets: [{ url: "http://127.0.0.1:9000" }]
${upstreams}apis:
  - name: Orders
    upstream: main
    routes: [{ paths: [/orders] }]
    policies:
${policies}`;

describe("[CONFIG] validate a config file offline", () => {
  test("a good file gives no problems and the file as the Admin API reads it", () => {
    const { problems, file } = checkConfigFile("good.yaml", fixture("good.yaml"));
    expect(problems).toEqual([]);
    expect(file?.apis[0]?.routes[0]?.policies[0]).toMatchObject({ type: "rate-limit", enabled: true });
  });

  test("each error of a broken file has its path, line and column", () => {
    expect(problemsOf(fixture("broken.yaml"))).toEqual([
      "upstreams[1].targets[0].url (line 8, column 9): Use an http:// or https:// URL",
      "apis[0].routes[0].paths[0] (line 14, column 13): A path starts with /",
      "consumers[0].colour (line 26, column 5): unknown field",
      "upstreams[1].name (line 6, column 5): upstreams[0] has this name already",
      'apis[0].upstream (line 11, column 5): No pool named "orders-pol" in this file\'s upstreams',
      'consumers[0].plan (line 25, column 5): No plan named "platinum" in this file\'s plans',
      "apis[0].policies[1].type (line 21, column 9): One key-auth policy per place; apis[0].policies[0] is one already",
      expect.stringMatching(
        /^apis\[0\]\.policies\[2\]\.type \(line 22, column 9\): Unknown policy type; one of key-auth,/,
      ),
      "apis[0].routes[0].policies[0].config.limits.minute (line 18, column 25): Must be at least 1",
      "consumers[0].policies[0].type (line 28, column 9): JWT auth can be attached to: global, api, route",
    ]);
  });

  test("a field the file leaves out is placed at the object that should hold it", () => {
    expect(problemsOf("version: 1\nupstreams:\n  - targets: []\n")).toEqual([
      expect.stringMatching(/^upstreams\[0\]\.name \(line 3, column 5\): /),
      expect.stringMatching(/^upstreams\[0\]\.targets \(line 3, column 5\): /),
    ]);
  });

  test("a secret left out of a file (as a dump leaves it) keeps the saved one; a written one is checked", () => {
    const jwt = (config: string) => withApi(`      - type: jwt\n        config: { algorithms: [HS256]${config} }\n`);
    expect(problemsOf(jwt(""))).toEqual([]);
    expect(problemsOf(jwt(", secret: short"))).toEqual([
      "apis[0].policies[0].config.secret (line 11, column 40): Use at least 32 characters",
    ]);
  });

  test("a policy's pool is named by name or id of a pool in the file", () => {
    const canary = "  - id: ups_canary01\n    name: canary\n    targets: [{ url: 'http://127.0.0.1:9001' }]\n";
    const split = (pool: string) =>
      withApi(`      - type: traffic-split\n        config: { upstreamId: ${pool} }\n`, canary);
    expect(problemsOf(split("canary"))).toEqual([]);
    expect(problemsOf(split("ups_canary01"))).toEqual([]);
    expect(problemsOf(split("elsewhere"))).toEqual([
      'apis[0].policies[0].config.upstreamId (line 14, column 19): No pool named or with id "elsewhere" in this file\'s upstreams',
    ]);
  });

  test("a pool's targets are different URLs, as the gateway calls them; names differ by case alone", () => {
    const pools = `version: 1
upstreams:
  - name: main
    targets: [{ url: "http://api.internal:80" }, { url: "http://API.internal/" }]
  - name: Main
    targets: [{ url: "http://127.0.0.1:9000" }]
`;
    expect(problemsOf(pools)).toEqual(["upstreams[0].targets[1].url (line 4, column 52): Same URL as targets[0]"]);
  });

  test("JSON is read as well, with its lines", () => {
    const json = JSON.stringify({ version: 1, apis: [{ name: "Orders", upstream: "nowhere", routes: [] }] }, null, 2);
    expect(problemsOf(json, "gatehouse.json")).toEqual([
      "apis[0].routes (line 7, column 7): Add at least one route",
      'apis[0].upstream (line 6, column 7): No pool named "nowhere" in this file\'s upstreams',
    ]);
  });

  test("a syntax error and a repeated key name their line; a wrong version is refused", () => {
    expect(problemsOf("version: 1\napis:\n  - name: [x\n")).toEqual([
      expect.stringMatching(/^gatehouse.yaml \(line 4, /),
    ]);
    expect(problemsOf("version: 1\nversion: 1\n")).toEqual([
      expect.stringMatching(/^gatehouse.yaml \(line 2, column 1\): Map keys must be unique/),
    ]);
    expect(problemsOf("version: 2\n")).toEqual(["version (line 1, column 1): This file format is version 1"]);
  });
});
