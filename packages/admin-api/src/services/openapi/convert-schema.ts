export type JsonSchema = Record<string, unknown>;
type Schema = JsonSchema | boolean;

const COMPONENT_PREFIX = "#/components/schemas/";
const SCHEMA_KEYWORDS = [
  "items",
  "additionalItems",
  "not",
  "additionalProperties",
  "contains",
  "if",
  "then",
  "else",
  "propertyNames",
  "unevaluatedItems",
  "unevaluatedProperties",
  "contentSchema",
];
const SCHEMA_LIST_KEYWORDS = ["allOf", "anyOf", "oneOf", "prefixItems"];
const SCHEMA_MAP_KEYWORDS = ["properties", "patternProperties", "dependentSchemas", "$defs", "definitions"];
const JSON_TYPES = ["null", "boolean", "object", "array", "number", "string"];

const unescapePointer = (segment: string) => decodeURIComponent(segment).replaceAll("~1", "/").replaceAll("~0", "~");

/**
 * Turns OpenAPI schemas into JSON Schema draft 2020-12 for the request-validation policy.
 * `#/components/schemas/X` becomes `#/$defs/X`; the components a schema reaches (through
 * nested refs, cycles included) are converted once and carried in its `$defs`.
 */
export class SchemaConverter {
  private readonly cache = new Map<string, { schema: Schema; refs: Set<string> }>();
  private readonly components: Record<string, Schema>;
  /** 3.0 has `nullable` and boolean `exclusiveMinimum`; 3.1's schemas are 2020-12 already. */
  private readonly openapi30: boolean;

  constructor(components: Record<string, Schema>, openapi30: boolean) {
    this.components = components;
    this.openapi30 = openapi30;
  }

  /** One schema with the components it reaches in its `$defs`. */
  standalone(schema: Schema): JsonSchema {
    const reached = new Set<string>();
    const converted = this.convert(schema, reached);
    const root = typeof converted === "boolean" ? (converted ? {} : { not: {} }) : converted;
    const defs = this.defsOf(reached);
    if (Object.keys(defs).length === 0) return root;
    return { ...root, $defs: { ...defs, ...(root.$defs as JsonSchema | undefined) } };
  }

  /** Several schemas under one root (an object of parameters), sharing one `$defs`. */
  properties(schemas: Record<string, Schema>): { properties: Record<string, Schema>; $defs?: JsonSchema } {
    const reached = new Set<string>();
    const properties = Object.fromEntries(
      Object.entries(schemas).map(([name, schema]) => [name, this.convert(schema, reached)]),
    );
    const defs = this.defsOf(reached);
    return Object.keys(defs).length === 0 ? { properties } : { properties, $defs: defs };
  }

  /** The converted components the names reach; a Set visits what is added while it is iterated. */
  private defsOf(reached: Set<string>): JsonSchema {
    const defs: JsonSchema = {};
    for (const name of reached) {
      const { schema, refs } = this.component(name);
      defs[name] = schema;
      for (const ref of refs) reached.add(ref);
    }
    return defs;
  }

  /** Converted once; its refs are only noted, so a cycle of components ends. */
  private component(name: string): { schema: Schema; refs: Set<string> } {
    let entry = this.cache.get(name);
    if (entry === undefined) {
      const refs = new Set<string>();
      entry = { schema: this.convert(this.components[name] as Schema, refs), refs };
      this.cache.set(name, entry);
    }
    return entry;
  }

  /** Other refs (a schema's own `#/$defs/…`) are kept; the policy's compile step judges them. */
  private ref(ref: string, reached: Set<string>): string {
    if (!ref.startsWith(COMPONENT_PREFIX)) return ref;
    const rest = ref.slice(COMPONENT_PREFIX.length);
    const name = unescapePointer(rest.split("/")[0] as string);
    if (!Object.hasOwn(this.components, name)) throw new Error(`$ref ${ref} names no schema in components.schemas`);
    reached.add(name);
    return `#/$defs/${rest}`;
  }

  private convert(schema: Schema, reached: Set<string>): Schema {
    if (typeof schema === "boolean") return schema;
    // 3.0 ignores the siblings of a $ref.
    if (typeof schema.$ref === "string" && this.openapi30) return { $ref: this.ref(schema.$ref, reached) };
    const sub = (value: unknown) => (isSchema(value) ? this.convert(value, reached) : value);
    const out: JsonSchema = {};
    for (const [key, value] of Object.entries(schema)) {
      if (key.startsWith("x-")) continue;
      if (key === "$ref" && typeof value === "string") out.$ref = this.ref(value, reached);
      else if (SCHEMA_KEYWORDS.includes(key)) out[key] = sub(value);
      else if (SCHEMA_LIST_KEYWORDS.includes(key) && Array.isArray(value)) out[key] = value.map(sub);
      else if (SCHEMA_MAP_KEYWORDS.includes(key) && isObject(value))
        out[key] = Object.fromEntries(Object.entries(value).map(([name, item]) => [name, sub(item)]));
      else out[key] = value;
    }
    return this.openapi30 ? from30(out) : out;
  }
}

const isObject = (value: unknown): value is JsonSchema =>
  value !== null && typeof value === "object" && !Array.isArray(value);
const isSchema = (value: unknown): value is Schema => typeof value === "boolean" || isObject(value);

/** OpenAPI 3.0's own keywords in their 2020-12 form. */
function from30(schema: JsonSchema): JsonSchema {
  const { nullable, ...out } = schema;
  for (const [flag, bound] of [
    ["exclusiveMinimum", "minimum"],
    ["exclusiveMaximum", "maximum"],
  ] as const) {
    if (typeof out[flag] !== "boolean") continue;
    if (out[flag] === true && typeof out[bound] === "number") {
      out[flag] = out[bound];
      delete out[bound];
    } else delete out[flag];
  }
  if (nullable !== true) return out;
  if (out.type === undefined) return { anyOf: [{ type: "null" }, out] };
  const types = Array.isArray(out.type) ? out.type : [out.type];
  if (!types.includes("null")) out.type = [...types, "null"];
  if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
  return out;
}

/** A body schema that also accepts no body: the policy checks an empty body as `undefined`, which has no JSON type. */
export function optionalBody(schema: JsonSchema): JsonSchema {
  const { $defs, ...rest } = schema;
  // biome-ignore lint/suspicious/noThenProperty: JSON Schema's `then` keyword; this object is data, never awaited
  return { ...($defs === undefined ? {} : { $defs }), if: { type: JSON_TYPES }, then: rest };
}
