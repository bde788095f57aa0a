import { expect, test } from "vitest";
import { parseEnv } from "./env.ts";

test("a console URL and a node token go together; the node's name and address must fit in a header", () => {
  const node = { GATEHOUSE_CONTROL_PLANE_URL: "http://console.internal:3000", GATEHOUSE_NODE_TOKEN: "ghn_x" };
  expect(parseEnv(node)).toMatchObject(node);
  expect(parseEnv({}).GATEHOUSE_CONTROL_PLANE_URL).toBeUndefined();
  const both = /set both GATEHOUSE_CONTROL_PLANE_URL and GATEHOUSE_NODE_TOKEN to follow a console/;
  expect(() => parseEnv({ GATEHOUSE_CONTROL_PLANE_URL: node.GATEHOUSE_CONTROL_PLANE_URL })).toThrow(both);
  expect(() => parseEnv({ GATEHOUSE_NODE_TOKEN: node.GATEHOUSE_NODE_TOKEN })).toThrow(both);
  expect(() => parseEnv({ ...node, GATEHOUSE_CONTROL_PLANE_URL: "console:3000" })).toThrow(
    /GATEHOUSE_CONTROL_PLANE_URL: must be the console's http\(s\) URL/,
  );
  expect(() => parseEnv({ ...node, GATEHOUSE_NODE_NAME: "nœud" })).toThrow(
    /GATEHOUSE_NODE_NAME: must be printable ASCII/,
  );
});

test("the JSON access log is off unless asked for, and only json turns it on", () => {
  expect(parseEnv({}).GATEHOUSE_ACCESS_LOG).toBe("off");
  expect(parseEnv({ GATEHOUSE_ACCESS_LOG: "json" }).GATEHOUSE_ACCESS_LOG).toBe("json");
  expect(() => parseEnv({ GATEHOUSE_ACCESS_LOG: "text" })).toThrow(/GATEHOUSE_ACCESS_LOG: must be off or json/);
});
