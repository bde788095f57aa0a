import { isEmptyRules, type QueryRulesConfig } from "./rules-schema.ts";
import { parseTemplate, render, type Template, type TemplateScope } from "./template.ts";

/** Query rules ready to run, in the order they apply: remove, rename, set, add. */
export interface QueryRules {
  remove: ReadonlySet<string>;
  rename: ReadonlyMap<string, string>;
  set: ReadonlyArray<readonly [string, Template]>;
  add: ReadonlyArray<readonly [string, Template]>;
}

export function compileQueryRules(config: QueryRulesConfig): QueryRules | null {
  if (isEmptyRules(config)) return null;
  const templates = (values: Record<string, string>) =>
    Object.entries(values).map(([name, text]) => [name, parseTemplate(text) as Template] as const);
  return {
    remove: new Set(config.remove),
    rename: new Map(Object.entries(config.rename)),
    set: templates(config.set),
    add: templates(config.add),
  };
}

function decoded(text: string): string {
  try {
    return decodeURIComponent(text.replaceAll("+", " "));
  } catch {
    return text;
  }
}

/** One `name=value` of a query: kept as the client wrote it unless a rule touches it. */
interface Pair {
  name: string;
  raw: string;
}

/**
 * The query with the rules applied (without `?`). Parameters no rule names keep their exact
 * bytes: re-encoding the whole query (URLSearchParams) would change what the upstream signs or caches on.
 */
export function applyQueryRules(rules: QueryRules, query: string, scope: TemplateScope): string {
  let pairs: Pair[] = [];
  for (const raw of query.split("&")) {
    if (raw === "") continue;
    const eq = raw.indexOf("=");
    pairs.push({ name: decoded(eq === -1 ? raw : raw.slice(0, eq)), raw });
  }
  if (rules.remove.size > 0) pairs = pairs.filter((pair) => !rules.remove.has(pair.name));
  for (const pair of pairs) {
    const to = rules.rename.get(pair.name);
    if (to === undefined) continue;
    const eq = pair.raw.indexOf("=");
    pair.name = to;
    pair.raw = encodeURIComponent(to) + (eq === -1 ? "" : pair.raw.slice(eq));
  }
  const param = (name: string, value: Template): Pair => ({
    name,
    raw: `${encodeURIComponent(name)}=${encodeURIComponent(render(value, scope))}`,
  });
  for (const [name, value] of rules.set) {
    pairs = pairs.filter((pair) => pair.name !== name);
    pairs.push(param(name, value));
  }
  for (const [name, value] of rules.add) {
    if (!pairs.some((pair) => pair.name === name)) pairs.push(param(name, value));
  }
  return pairs.map((pair) => pair.raw).join("&");
}
