import { describe, expect, it } from "vitest";
import { fieldLine } from "./field-line.ts";

const FILE = `version: 1
upstreams:
  - name: orders
    targets:
      - url: http://127.0.0.1:9000
apis:
  - name: Orders
    upstream: orders
    routes:
      - paths:
          - /orders
          - orders-without-slash
`;

describe("fieldLine", () => {
  it("finds the line of an item deep in sequences", () => {
    expect(fieldLine(FILE, "apis.0.routes.0.paths.1")).toBe(12);
    expect(fieldLine(FILE, "upstreams.0.targets.0.url")).toBe(5);
  });

  it("points at the nearest enclosing field for a field the file leaves out", () => {
    expect(fieldLine(FILE, "apis.0.routes.0.methods")).toBe(10);
    expect(fieldLine(FILE, "apis.0.description")).toBe(7);
  });

  it("reads JSON the same way, a JSON file being YAML", () => {
    const json = JSON.stringify({ version: 1, apis: [{ name: "A", routes: [{ paths: ["x"] }] }] }, null, 2);
    expect(fieldLine(json, "apis.0.routes.0.paths.0")).toBe(json.split("\n").findIndex((l) => l.includes('"x"')) + 1);
  });

  it("answers null for text that does not parse or a path into nothing", () => {
    expect(fieldLine("apis: [", "apis.0")).toBeNull();
    expect(fieldLine(FILE, "plans.0.name")).toBeNull();
  });
});
