import { type BodyRulesConfig, isEmptyRules } from "./rules-schema.ts";
import { parseTemplate, render, type Template, type TemplateScope } from "./template.ts";

type Json = null | boolean | number | string | Json[] | { [field: string]: Json };
type JsonObject = { [field: string]: Json };

/** A value to put in a field: a rendered template, or a JSON value copied as it is. */
type FieldValue = { template: Template } | { json: Json };

/** Body rules ready to run, in the order they apply: remove, rename, set, add; paths split once. */
export interface JsonRules {
  remove: ReadonlyArray<readonly string[]>;
  rename: ReadonlyArray<readonly [readonly string[], readonly string[]]>;
  set: ReadonlyArray<readonly [readonly string[], FieldValue]>;
  add: ReadonlyArray<readonly [readonly string[], FieldValue]>;
}

export function compileJsonRules(config: BodyRulesConfig): JsonRules | null {
  if (isEmptyRules(config)) return null;
  const split = (path: string) => path.split(".");
  const values = (fields: Record<string, Json>) =>
    Object.entries(fields).map(([path, value]): readonly [string[], FieldValue] => [
      split(path),
      typeof value === "string" ? { template: parseTemplate(value) as Template } : { json: value },
    ]);
  return {
    remove: config.remove.map(split),
    rename: Object.entries(config.rename).map(([from, to]) => [split(from), split(to)] as const),
    set: values(config.set as Record<string, Json>),
    add: values(config.add as Record<string, Json>),
  };
}

const isObject = (value: unknown): value is JsonObject =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** The object holding the path's last field; with `create`, missing objects on the way are made. */
function parentOf(root: JsonObject, path: readonly string[], create: boolean): JsonObject | undefined {
  let node = root;
  for (let i = 0; i < path.length - 1; i++) {
    const name = path[i] as string;
    if (!Object.hasOwn(node, name) && create) node[name] = {};
    const next = Object.hasOwn(node, name) ? node[name] : undefined;
    if (!isObject(next)) return undefined;
    node = next;
  }
  return node;
}

function fieldValueOf(value: FieldValue, scope: TemplateScope): Json {
  // A value copied into each body: a later rule may write inside it, which must not reach the config.
  if ("template" in value) return render(value.template, scope);
  return typeof value.json === "object" && value.json !== null ? structuredClone(value.json) : value.json;
}

/** Applies the rules to a parsed body in place; true when the body changed. A body that is not an object is left as it is. */
export function applyJsonRules(rules: JsonRules, body: unknown, scope: TemplateScope): boolean {
  if (!isObject(body)) return false;
  let changed = false;
  for (const path of rules.remove) {
    const parent = parentOf(body, path, false);
    const field = path[path.length - 1] as string;
    if (parent === undefined || !Object.hasOwn(parent, field)) continue;
    delete parent[field];
    changed = true;
  }
  for (const [from, to] of rules.rename) {
    const parent = parentOf(body, from, false);
    const field = from[from.length - 1] as string;
    if (parent === undefined || !Object.hasOwn(parent, field)) continue;
    const value = parent[field] as Json;
    // Taken out first: a target inside the value itself (a → a.b) must not make it contain itself.
    delete parent[field];
    const target = parentOf(body, to, true);
    if (target === undefined) {
      parent[field] = value;
      continue;
    }
    target[to[to.length - 1] as string] = value;
    changed = true;
  }
  for (const [path, value] of rules.set) {
    const parent = parentOf(body, path, true);
    if (parent === undefined) continue;
    parent[path[path.length - 1] as string] = fieldValueOf(value, scope);
    changed = true;
  }
  for (const [path, value] of rules.add) {
    const parent = parentOf(body, path, true);
    const field = path[path.length - 1] as string;
    if (parent === undefined || Object.hasOwn(parent, field)) continue;
    parent[field] = fieldValueOf(value, scope);
    changed = true;
  }
  return changed;
}
