import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, expect, test } from "vitest";
import { parseEnv } from "../../env.ts";
import { controlPlaneOptions } from "./node-identity.ts";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "gatehouse-node-id-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const env = (extra: Record<string, string> = {}) =>
  parseEnv({
    GATEHOUSE_DATA_DIR: dir,
    GATEHOUSE_CONTROL_PLANE_URL: "http://console.internal:3000",
    GATEHOUSE_NODE_TOKEN: "ghn_x",
    GATEHOUSE_NODE_NAME: "edge-1",
    ...extra,
  });

test("the node id is made once and kept; the address defaults to the proxy's URL by the node's name", () => {
  const first = controlPlaneOptions(env());
  expect(first).toMatchObject({ name: "edge-1", address: "http://edge-1:8080", version: "0.0.0" });
  expect(first?.nodeId).toMatch(/^nod_/);
  expect(readFileSync(path.join(dir, "node-id"), "utf8")).toBe(first?.nodeId);
  expect(controlPlaneOptions(env({ GATEHOUSE_PROXY_HOST: "10.0.0.7" }))).toMatchObject({
    nodeId: first?.nodeId,
    address: "http://10.0.0.7:8080",
  });
  expect(controlPlaneOptions(parseEnv({ GATEHOUSE_DATA_DIR: dir }))).toBeUndefined();
});

test("a data dir holding config.db is a console's, refused for a node", () => {
  writeFileSync(path.join(dir, "config.db"), "");
  expect(() => controlPlaneOptions(env())).toThrow(/GATEHOUSE_DATA_DIR holds .*config\.db, a console's data/);
});
