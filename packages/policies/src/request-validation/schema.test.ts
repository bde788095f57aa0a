import { fieldErrors } from "@gatehouse/shared";
import { expect, test } from "vitest";
import { summarizePolicy } from "../summaries.ts";
import { requestValidationSchema } from "./schema.ts";

const { config } = requestValidationSchema;

test("every schema is optional and the body limit defaults to 1 MiB", () => {
  expect(config.parse({})).toEqual({ maxBodyBytes: 1024 * 1024 });
  const body = { type: "object", properties: { qty: { type: "integer" } } };
  expect(config.parse({ body, query: null })).toEqual({ body, query: null, maxBodyBytes: 1024 * 1024 });
});

test("an unusable JSON Schema is refused naming its field and why", () => {
  const cases: Array<[Record<string, unknown>, string, RegExp]> = [
    [{ body: { type: "objekt" } }, "body", /type must be equal to one of the allowed values/],
    [{ query: { type: "object", requried: ["limit"] } }, "query", /unknown keyword: "requried"/],
    [{ params: { type: "string", format: "no-such-format" } }, "params", /unknown format "no-such-format"/],
    [{ headers: { $ref: "https://schemas.example.com/missing" } }, "headers", /can't resolve reference/],
    [{ body: { $async: true, type: "object" } }, "body", /\$async/],
    [{ body: ["not", "an", "object"] }, "body", /Enter an object/],
  ];
  for (const [input, path, why] of cases) {
    const result = config.safeParse(input);
    expect(result.success).toBe(false);
    const [first] = result.error ? fieldErrors(result.error) : [];
    expect(first?.path).toBe(path);
    expect(first?.message).toMatch(why);
  }
});

test("OpenAPI's annotations and the 2020-12 keywords are accepted", () => {
  const body = {
    type: "object",
    example: { qty: 1 },
    externalDocs: { url: "https://docs.example.com" },
    properties: { items: { type: "array", prefixItems: [{ type: "string" }], items: { type: "integer" } } },
    unevaluatedProperties: false,
  };
  expect(config.safeParse({ body }).success).toBe(true);
});

test("the body limit stays between 1 byte and 64 MiB", () => {
  for (const maxBodyBytes of [0, 64 * 1024 * 1024 + 1, 1.5, "10"]) {
    expect(config.safeParse({ maxBodyBytes }).error?.issues[0]?.path).toEqual(["maxBodyBytes"]);
  }
});

test("the summary names the parts it checks", () => {
  const summary = (input: Record<string, unknown>) =>
    summarizePolicy("request-validation", config.parse(input) as Record<string, unknown>);
  expect(summary({})).toBe("checks nothing yet");
  expect(summary({ body: {}, query: {}, params: {} })).toBe("checks path parameters, query and body");
});

test("where code may not be generated (the console's page under its CSP) a schema is not refused: the Admin API checks it", () => {
  const { Function: original } = globalThis;
  globalThis.Function = function blockedByCsp() {
    throw new EvalError("Evaluating a string as JavaScript violates the Content Security Policy");
  } as unknown as FunctionConstructor;
  try {
    expect(config.safeParse({ body: { type: "object", required: ["qty"] } }).success).toBe(true);
  } finally {
    globalThis.Function = original;
  }
  expect(config.safeParse({ body: { type: "objekt" } }).success).toBe(false);
});
