import fc from "fast-check";

/** The JSON Schema subset `z.toJSONSchema` emits for our request bodies. */
export interface JsonSchema {
  type?: string;
  const?: unknown;
  enum?: unknown[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: JsonSchema | boolean;
  propertyNames?: JsonSchema;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minimum?: number;
  maximum?: number;
}

/** Values for fields whose rules a pattern cannot express (URLs, route paths, ids that must exist). */
export type Hints = Record<string, fc.Arbitrary<unknown>>;

const HUGE = "A".repeat(200_000);

/** Wrong types and boundary values: nulls, huge and negative numbers, odd unicode, long strings. */
export const nasty: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(null, true, false, 0, -0, -1, 1.5, 2 ** 31, 2 ** 53 + 2, -(2 ** 63), 1e308, -1e308, 5e-324),
  fc.constantFrom("", " ", "\u0000", "\uD800", "\u202Ejs.exe", "𝔘𝔫𝔦🙂", "'; DROP TABLE apis;--", "../..", "__proto__"),
  fc.constantFrom("x".repeat(5_000), HUGE),
  fc.integer(),
  fc.double(),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.string({ unit: "grapheme", maxLength: 40 }),
  fc.jsonValue({ maxDepth: 2 }),
);

const EXTRA_KEYS = fc.constantFrom("__proto__", "constructor", "id", "createdAt", "revision", "upstreamId", "x");

function stringOf(schema: JsonSchema): fc.Arbitrary<string> {
  const maxLength = Math.min(schema.maxLength ?? 30, 30);
  const minLength = Math.min(schema.minLength ?? 0, maxLength);
  if (!schema.pattern) return fc.string({ minLength, maxLength });
  return fc
    .stringMatching(new RegExp(schema.pattern), { maxLength })
    .filter((s) => s.length >= minLength && s.length <= (schema.maxLength ?? Number.POSITIVE_INFINITY));
}

/** Values that follow the schema's types, enums and bounds (not always its cross-field rules). */
export function validish(schema: JsonSchema, hints: Hints, key?: string): fc.Arbitrary<unknown> {
  const hint = key ? hints[key] : undefined;
  if (hint) return hint;
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const choices = schema.anyOf ?? schema.oneOf;
  if (choices) return fc.oneof(...choices.map((choice) => validish(choice, hints, key)));
  switch (schema.type) {
    case "object": {
      const shape: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [name, prop] of Object.entries(schema.properties ?? {})) shape[name] = validish(prop, hints, name);
      const record = fc.record(shape, { requiredKeys: schema.required ?? [] });
      if (typeof schema.additionalProperties !== "object") return record;
      const names = schema.propertyNames ? stringOf(schema.propertyNames) : fc.string({ maxLength: 10 });
      return fc.dictionary(names, validish(schema.additionalProperties, hints), { maxKeys: 3 });
    }
    case "array": {
      const maxLength = Math.min(schema.maxItems ?? 3, 3);
      const minLength = Math.min(schema.minItems ?? 0, maxLength);
      return fc.array(validish(schema.items ?? {}, hints, key && `${key}[]`), { minLength, maxLength });
    }
    case "string":
      return stringOf(schema);
    case "integer":
      return fc.integer({ min: schema.minimum ?? -1_000_000, max: schema.maximum ?? 1_000_000 });
    case "number":
      return fc.double({ min: schema.minimum ?? -1e6, max: schema.maximum ?? 1e6, noNaN: true });
    case "boolean":
      return fc.boolean();
    case "null":
      return fc.constant(null);
    default:
      return fc.jsonValue({ maxDepth: 1 });
  }
}

/** Objects shaped like the schema where any field may be missing, wrong or hostile, plus extra keys. */
export function shaped(schema: JsonSchema, hints: Hints, depth = 0): fc.Arbitrary<unknown> {
  const object = schema.properties ? schema : (schema.anyOf ?? schema.oneOf)?.find((s) => s.properties);
  if (!object?.properties || depth > 3) return fc.oneof(validish(schema, hints), nasty);
  const shape: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [name, prop] of Object.entries(object.properties)) {
    shape[name] = fc.oneof(validish(prop, hints, name), nasty, shaped(prop, hints, depth + 1));
  }
  return fc
    .tuple(fc.record(shape, { requiredKeys: [] }), fc.dictionary(EXTRA_KEYS, nasty, { maxKeys: 2 }))
    .map(([fields, extra]) => Object.assign(extra, fields));
}
