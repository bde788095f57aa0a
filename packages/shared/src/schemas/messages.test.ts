import { describe, expect, test } from "vitest";
import { z } from "zod";
import {
  apiCreateSchema,
  apiKeyCreateSchema,
  apiKeyRotateSchema,
  apiPatchSchema,
  consumerCreateSchema,
  consumerPatchSchema,
  listQuerySchema,
  loginInputSchema,
  planCreateSchema,
  planPatchSchema,
  policyCreateSchema,
  policyListQuerySchema,
  policyPatchSchema,
  requestLogQuerySchema,
  routeInputSchema,
  routePatchSchema,
  setupInputSchema,
  streamQuerySchema,
  targetInputSchema,
  targetPatchSchema,
  timeseriesQuerySchema,
  topQuerySchema,
  upstreamCreateSchema,
  upstreamPatchSchema,
  usageQuerySchema,
} from "../index.ts";

/** Every body and query the Admin API parses (the package entry is what installs the messages). */
const ADMIN_API_INPUTS: Record<string, z.ZodType> = {
  apiCreateSchema,
  apiPatchSchema,
  routeInputSchema,
  routePatchSchema,
  upstreamCreateSchema,
  upstreamPatchSchema,
  targetInputSchema,
  targetPatchSchema,
  consumerCreateSchema,
  consumerPatchSchema,
  apiKeyCreateSchema,
  apiKeyRotateSchema,
  planCreateSchema,
  planPatchSchema,
  policyCreateSchema,
  policyPatchSchema,
  setupInputSchema,
  loginInputSchema,
  listQuerySchema,
  policyListQuerySchema,
  timeseriesQuerySchema,
  topQuerySchema,
  usageQuerySchema,
  requestLogQuerySchema,
  streamQuerySchema,
};

const ZOD_PHRASING = /Invalid input|expected|received|Too big|Too small|Invalid option|Invalid string|Invalid key/i;

/** One value of each wrong kind: wrong types, empty, huge, fractional, negative, malformed, unknown option. */
const BAD_VALUES: unknown[] = [
  null,
  true,
  "abc",
  "",
  "x".repeat(5000),
  "%% not/a valid:value %%",
  12345,
  1.5,
  -1e12,
  1e15,
  Number.NaN,
  [],
  Array.from({ length: 300 }, () => "x"),
  {},
  { nested: 1 },
];

const unwrap = (schema: z.ZodType): z.ZodType => {
  if (schema instanceof z.ZodOptional || schema instanceof z.ZodNullable) return unwrap(schema.unwrap() as z.ZodType);
  if (schema instanceof z.ZodDefault || schema instanceof z.ZodPrefault) return unwrap(schema.unwrap() as z.ZodType);
  if (schema instanceof z.ZodPipe) return unwrap(schema.in as z.ZodType);
  return schema;
};

/** Bodies that put each bad value at each place a schema has a field, nested ones included. */
function badInputs(schema: z.ZodType, depth = 0): unknown[] {
  const inner = unwrap(schema);
  if (depth > 4) return BAD_VALUES;
  if (inner instanceof z.ZodObject) {
    return [
      ...BAD_VALUES,
      ...Object.entries(inner.shape).flatMap(([key, field]) =>
        badInputs(field as z.ZodType, depth + 1).map((value) => ({ [key]: value })),
      ),
    ];
  }
  if (inner instanceof z.ZodArray) {
    return [...BAD_VALUES, ...badInputs(inner.element as z.ZodType, depth + 1).map((value) => [value])];
  }
  if (inner instanceof z.ZodRecord) {
    const values = badInputs(inner.valueType as z.ZodType, depth + 1).map((value) => ({ key: value }));
    return [...BAD_VALUES, { "not a key!": "x" }, ...values];
  }
  if (inner instanceof z.ZodUnion) {
    return [...BAD_VALUES, ...inner.options.flatMap((option) => badInputs(option as z.ZodType, depth + 1))];
  }
  return BAD_VALUES;
}

describe("messages a user reads", () => {
  test.each(Object.entries(ADMIN_API_INPUTS))("%s never answers in zod's phrasing", (_name, schema) => {
    let issues = 0;
    for (const input of badInputs(schema)) {
      const result = schema.safeParse(input);
      if (result.success) continue;
      for (const issue of result.error.issues) {
        issues++;
        expect(issue.message, `${JSON.stringify(input)?.slice(0, 200)} at ${issue.path.join(".")}`).not.toMatch(
          ZOD_PHRASING,
        );
      }
    }
    expect(issues).toBeGreaterThan(0);
  });

  const cases: Array<[z.ZodType, unknown, string]> = [
    [z.int(), "5", "Enter a whole number"],
    [z.int(), 1.5, "Enter a whole number"],
    [z.number(), "5", "Enter a number"],
    [z.coerce.number().int(), "abc", "Enter a whole number"],
    [z.number(), Number.POSITIVE_INFINITY, "Enter a finite number"],
    [z.object({ a: z.string() }), {}, "Required"],
    [z.string().min(1), "", "Required"],
    [z.string().max(100), "x".repeat(101), "Must be at most 100 characters"],
    [z.string().min(8), "short", "Must be at least 8 characters"],
    [z.array(z.string()).max(2), ["a", "b", "c"], "Must be at most 2 items"],
    [z.int().min(1).max(10), 11, "Must be at most 10"],
    [z.number().positive(), 0, "Must be more than 0"],
    [z.enum(["a", "b", "c"]), "d", "Choose one of: a, b, c"],
    [z.literal("ip"), "host", "Must be ip"],
    [z.boolean(), "yes", "Enter true or false"],
    [z.url(), "nope", "Enter a valid URL, e.g. https://example.com"],
    [z.email(), "nope", "Enter a valid email address"],
    [z.string().startsWith("/"), "a", 'Must start with "/"'],
    [z.union([z.string(), z.number(), z.boolean()]), {}, "Enter text, a number or true/false"],
    [
      z.discriminatedUnion("by", [z.object({ by: z.literal("ip") }), z.object({ by: z.literal("header") })]),
      { by: "x" },
      "Choose one of: ip, header",
    ],
    [z.record(z.string().regex(/^[a-z]+$/), z.string()), { "A B": "x" }, "Not in the accepted format"],
    [z.string().refine(() => false), "a", "Not a valid value"],
  ];
  test.each(cases.map(([schema, input, message]) => ({ schema, input, message })))(
    "$input is answered $message",
    ({ schema, input, message }) => {
      expect(schema.safeParse(input).error?.issues[0]?.message).toBe(message);
    },
  );

  test("a schema's own message still wins", () => {
    expect(z.int("Weight is a whole number").safeParse("5").error?.issues[0]?.message).toBe("Weight is a whole number");
  });

  test("unknown keys are left to fieldErrors", () => {
    const result = z.strictObject({ a: z.string() }).safeParse({ a: "x", b: 1 });
    expect(result.error?.issues[0]?.code).toBe("unrecognized_keys");
  });
});
