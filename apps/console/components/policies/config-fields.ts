import { applies, type ShownWhen, whenOf } from "@gatehouse/shared";
import { z } from "zod";
import { optionalInt, splitList } from "@/lib/form-values.ts";

/** How one config field is drawn, read from the JSON Schema of the policy's zod schema. */
export interface FieldSpec {
  key: string;
  title: string;
  description: string | undefined;
  kind: "text" | "number" | "boolean" | "select" | "list" | "json" | "secret" | "group" | "upstream";
  options: string[];
  defaultValue: unknown;
  /** For a group: its fields, drawn inline (e.g. rate limits per window). */
  children: FieldSpec[];
  /** The sibling choice the field applies under (from the schema's rules); hidden otherwise. */
  when: ShownWhen | undefined;
}

interface JsonSchema {
  type?: string | string[];
  title?: string;
  description?: string;
  enum?: unknown[];
  default?: unknown;
  writeOnly?: boolean;
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  anyOf?: JsonSchema[];
  additionalProperties?: unknown;
}

const titleOf = (key: string) => key.replace(/([A-Z])/g, " $1").replace(/^./, (c) => c.toUpperCase());

/** `anyOf: [X, null]` (a nullable field) is drawn as X. */
function unwrapNullable(schema: JsonSchema): JsonSchema {
  const options = schema.anyOf?.filter((option) => option.type !== "null");
  return options?.length === 1 ? { ...options[0], ...schema, anyOf: undefined } : schema;
}

function specOf(key: string, raw: JsonSchema, nested: boolean, zodField: z.ZodType | undefined): FieldSpec {
  const schema = unwrapNullable(raw);
  const base = {
    key,
    title: schema.title ?? titleOf(key),
    description: schema.description,
    options: [] as string[],
    defaultValue: schema.default,
    children: [] as FieldSpec[],
    when: whenOf(zodField),
  };
  if (schema.writeOnly) return { ...base, kind: "secret" };
  if (schema.enum) return { ...base, kind: "select", options: schema.enum.map(String) };
  if (schema.type === "boolean") return { ...base, kind: "boolean" };
  if (schema.type === "integer" || schema.type === "number") return { ...base, kind: "number" };
  if (schema.type === "string") return { ...base, kind: "text" };
  const item = schema.items ? unwrapNullable(schema.items) : undefined;
  if (schema.type === "array" && (item?.type === "string" || item?.enum)) return { ...base, kind: "list" };
  const props = schema.properties ? Object.entries(schema.properties) : [];
  const simple = props.every(([, p]) => ["integer", "number", "string", "boolean"].includes(String(p.type)));
  if (!nested && schema.type === "object" && props.length > 0 && simple) {
    return {
      ...base,
      kind: "group",
      children: props.map(([name, p]) => specOf(name, p, true, undefined)),
    };
  }
  return { ...base, kind: "json" };
}

/** `upstreamFields` (the policy schema's) are drawn as a pick of the console's upstream pools. */
export function fieldSpecs(config: z.ZodType, upstreamFields: readonly string[] = []): FieldSpec[] {
  const json = z.toJSONSchema(config, { io: "input", unrepresentable: "any" }) as JsonSchema;
  const shape = config instanceof z.ZodObject ? (config.shape as Record<string, z.ZodType>) : {};
  return Object.entries(json.properties ?? {}).map(([key, prop]) => {
    const spec = specOf(key, prop, false, shape[key]);
    return upstreamFields.includes(key) ? { ...spec, kind: "upstream" } : spec;
  });
}

/** The fields that apply to this config: one whose rule names another choice (store = memory) is left out. */
export function shownSpecs(specs: FieldSpec[], config: Record<string, unknown>): FieldSpec[] {
  return specs.filter((spec) => applies(spec.when, config));
}

/** Form state: what each input shows, as text or a checkbox. */
export type FieldValues = Record<string, string | boolean>;

function shown(spec: FieldSpec, value: unknown): string | boolean {
  if (spec.kind === "boolean") return value === true;
  if (value === undefined || value === null) return "";
  if (spec.kind === "list") return Array.isArray(value) ? value.join(", ") : "";
  if (spec.kind === "json") return JSON.stringify(value, null, 2);
  return String(value);
}

/** The inputs for a saved config, or for a new policy with each field's default. */
export function initialValues(specs: FieldSpec[], config: Record<string, unknown> | null): FieldValues {
  const values: FieldValues = {};
  for (const spec of specs) {
    const value = config ? config[spec.key] : spec.defaultValue;
    if (spec.kind === "group") {
      const inner = (value ?? {}) as Record<string, unknown>;
      for (const child of spec.children) values[`${spec.key}.${child.key}`] = shown(child, inner[child.key]);
    } else {
      values[spec.key] = shown(spec, value);
    }
  }
  return values;
}

/** A marker the schema refuses, so bad JSON gets the field's own error instead of being dropped. */
export const INVALID_JSON = { "(not valid JSON)": true };

function parsed(spec: FieldSpec, value: string | boolean): unknown {
  if (spec.kind === "boolean") return value === true;
  const text = String(value);
  if (spec.kind === "number") return optionalInt(text);
  if (spec.kind === "list") return splitList(text);
  if (spec.kind === "json") {
    if (text.trim() === "") return undefined;
    try {
      return JSON.parse(text);
    } catch {
      return INVALID_JSON;
    }
  }
  if (text !== "") return text;
  // A cleared field whose default is empty is sent empty, so an edit can clear it (the API
  // merges a patch into the saved config); a secret left empty keeps the saved one.
  return spec.kind !== "secret" && spec.defaultValue === "" ? "" : undefined;
}

/**
 * The config to send. On an edit, an empty secret is left out so the saved one stays (the
 * Admin API merges a config patch into the saved config and never returns secrets).
 */
export function configPayload(specs: FieldSpec[], values: FieldValues): Record<string, unknown> {
  const config: Record<string, unknown> = {};
  for (const spec of specs) {
    if (spec.kind === "group") {
      const inner: Record<string, unknown> = {};
      for (const child of spec.children) {
        const value = parsed(child, values[`${spec.key}.${child.key}`] ?? "");
        if (value !== undefined) inner[child.key] = value;
      }
      config[spec.key] = inner;
      continue;
    }
    const value = parsed(spec, values[spec.key] ?? "");
    if (value !== undefined) config[spec.key] = value;
  }
  return config;
}
