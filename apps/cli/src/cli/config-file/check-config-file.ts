import { findPolicySchema, POLICY_SCHEMAS, type Scope, writeOnlyFields } from "@gatehouse/policies/schemas";
import { type ConfigFile, configFileSchema, type FieldError, fieldErrors, targetUrlKey } from "@gatehouse/shared";
import { displayPath, type Problem, parseSource, placeFields, segmentsOf } from "./source-file.ts";

type Item = Record<string, unknown>;

const isItem = (value: unknown): value is Item => typeof value === "object" && value !== null && !Array.isArray(value);

/** The objects of a list with their positions, skipping what is not an object (the schema reports those). */
const itemsOf = (value: unknown): [number, Item][] =>
  Array.isArray(value) ? value.flatMap((item, index) => (isItem(item) ? [[index, item] as [number, Item]] : [])) : [];

const text = (value: unknown) => (typeof value === "string" ? value.trim() : undefined);

/** Every list of policies in a file, with the scope it attaches them to. */
function* policyPlaces(file: Item): Generator<{ path: string; scope: Scope; policies: unknown }> {
  yield { path: "policies", scope: "global", policies: file.policies };
  for (const [a, api] of itemsOf(file.apis)) {
    yield { path: `apis.${a}.policies`, scope: "api", policies: api.policies };
    for (const [r, route] of itemsOf(api.routes)) {
      yield { path: `apis.${a}.routes.${r}.policies`, scope: "route", policies: route.policies };
    }
  }
  for (const [c, consumer] of itemsOf(file.consumers)) {
    yield { path: `consumers.${c}.policies`, scope: "consumer", policies: consumer.policies };
  }
}

/** A policy's config against its own schema; a write-only field (a secret) left out keeps its saved value. */
function checkPolicy(at: string, scope: Scope, policy: Item, pools: Set<string>): FieldError[] {
  const schema = findPolicySchema(String(policy.type));
  if (!schema) {
    const known = POLICY_SCHEMAS.map((s) => s.type).join(", ");
    return [{ path: `${at}.type`, message: `Unknown policy type; one of ${known}` }];
  }
  if (!schema.scopes.includes(scope)) {
    return [{ path: `${at}.type`, message: `${schema.title} can be attached to: ${schema.scopes.join(", ")}` }];
  }
  const config = isItem(policy.config) ? policy.config : {};
  const omitted = new Set(writeOnlyFields(schema.config).filter((field) => !(field in config)));
  const result = schema.config.safeParse(config);
  const errors = result.success
    ? []
    : fieldErrors(result.error)
        .filter((error) => !omitted.has(error.path.split(".")[0] as string))
        .map((error) => ({ path: error.path ? `${at}.config.${error.path}` : `${at}.config`, message: error.message }));
  for (const field of schema.upstreamFields ?? []) {
    const pool = text(config[field]);
    if (pool && !pools.has(pool)) {
      errors.push({
        path: `${at}.config.${field}`,
        message: `No pool named or with id "${pool}" in this file's upstreams`,
      });
    }
  }
  return errors;
}

/** Names unique within a list; ids too, since an id is what an apply matches first. */
function checkUnique(list: string, items: [number, Item][]): FieldError[] {
  const errors: FieldError[] = [];
  for (const field of ["name", "id"]) {
    const seen = new Map<string, number>();
    for (const [index, item] of items) {
      const value = text(item[field]);
      if (value === undefined) continue;
      const first = seen.get(value);
      if (first === undefined) seen.set(value, index);
      else errors.push({ path: `${list}.${index}.${field}`, message: `${list}[${first}] has this ${field} already` });
    }
  }
  return errors;
}

/**
 * What the Admin API would refuse in a file, found without it: the file's schema, each policy's
 * own config schema and where it may sit, and the references between the file's objects.
 */
export function checkConfigValue(value: unknown): FieldError[] {
  const parsed = configFileSchema.safeParse(value);
  const errors = parsed.success ? [] : fieldErrors(parsed.error);
  if (!isItem(value)) return errors;

  const upstreams = itemsOf(value.upstreams);
  const pools = new Set(
    upstreams.flatMap(([, pool]) => [text(pool.name), text(pool.id)].filter((v) => v !== undefined)),
  );
  const plans = new Set(itemsOf(value.plans).flatMap(([, plan]) => text(plan.name) ?? []));
  for (const list of ["upstreams", "apis", "plans", "consumers"])
    errors.push(...checkUnique(list, itemsOf(value[list])));
  for (const [index, pool] of upstreams) {
    const urls = new Map<string, number>();
    for (const [t, target] of itemsOf(pool.targets)) {
      if (typeof target.url !== "string" || !URL.canParse(target.url)) continue;
      const key = targetUrlKey(target.url);
      const twin = urls.get(key);
      if (twin === undefined) urls.set(key, t);
      else errors.push({ path: `upstreams.${index}.targets.${t}.url`, message: `Same URL as targets[${twin}]` });
    }
  }
  for (const [index, api] of itemsOf(value.apis)) {
    const pool = text(api.upstream);
    if (pool && !pools.has(pool)) {
      errors.push({ path: `apis.${index}.upstream`, message: `No pool named "${pool}" in this file's upstreams` });
    }
  }
  for (const [index, consumer] of itemsOf(value.consumers)) {
    const plan = text(consumer.plan);
    if (plan && !plans.has(plan)) {
      errors.push({ path: `consumers.${index}.plan`, message: `No plan named "${plan}" in this file's plans` });
    }
  }
  for (const { path, scope, policies } of policyPlaces(value)) {
    const types = new Map<string, number>();
    for (const [index, policy] of itemsOf(policies)) {
      const at = `${path}.${index}`;
      const type = String(policy.type);
      const first = types.get(type);
      if (first !== undefined) {
        errors.push({
          path: `${at}.type`,
          message: `One ${type} policy per place; ${displayPath(segmentsOf(`${path}.${first}`))} is one already`,
        });
        continue;
      }
      types.set(type, index);
      errors.push(...checkPolicy(at, scope, policy, pools));
    }
  }
  return errors;
}

export interface CheckedFile {
  problems: Problem[];
  /** The file as the Admin API would read it, when it has no problem. */
  file: ConfigFile | null;
}

/** A file's text checked end to end: its syntax, then everything `checkConfigValue` checks, each placed on its line. */
export function checkConfigFile(name: string, fileText: string): CheckedFile {
  const { source, value, problems } = parseSource(name, fileText);
  if (problems.length > 0) return { problems, file: null };
  const found = placeFields(source, checkConfigValue(value));
  return { problems: found, file: found.length === 0 ? configFileSchema.parse(value) : null };
}
