import type { PolicyContext } from "../types.ts";
import { type HeaderRulesConfig, headerSafe, isEmptyRules } from "./rules-schema.ts";
import { parseTemplate, render, type Template, type TemplateScope } from "./template.ts";

/** Header rules ready to run, in the order they apply: remove, rename, set, add. */
export interface HeaderRules {
  remove: readonly string[];
  rename: ReadonlyArray<readonly [string, string]>;
  set: ReadonlyArray<readonly [string, Template]>;
  add: ReadonlyArray<readonly [string, Template]>;
}

/** Null when there is nothing to do, so a request pays for nothing. */
export function compileHeaderRules(config: HeaderRulesConfig): HeaderRules | null {
  if (isEmptyRules(config)) return null;
  const templates = (values: Record<string, string>) =>
    Object.entries(values).map(([name, text]) => [name, parseTemplate(text) as Template] as const);
  return {
    remove: config.remove,
    rename: Object.entries(config.rename),
    set: templates(config.set),
    add: templates(config.add),
  };
}

/** The value the upstream would get for a header so far: a policy's, none if stripped, else the client's. */
function upstreamValue(ctx: PolicyContext, name: string): string | undefined {
  if (Object.hasOwn(ctx.upstreamHeaders, name)) return ctx.upstreamHeaders[name];
  if (ctx.stripHeaders.includes(name)) return undefined;
  const value = ctx.headers[name];
  return Array.isArray(value) ? value.join(", ") : value;
}

function dropUpstream(ctx: PolicyContext, name: string): void {
  delete ctx.upstreamHeaders[name];
  if (!ctx.stripHeaders.includes(name)) ctx.stripHeaders.push(name);
}

export function applyRequestHeaders(rules: HeaderRules, ctx: PolicyContext, scope: TemplateScope): void {
  for (const name of rules.remove) dropUpstream(ctx, name);
  for (const [from, to] of rules.rename) {
    const value = upstreamValue(ctx, from);
    if (value === undefined) continue;
    dropUpstream(ctx, from);
    ctx.upstreamHeaders[to] = value;
  }
  for (const [name, value] of rules.set) ctx.upstreamHeaders[name] = render(value, scope, headerSafe);
  for (const [name, value] of rules.add) {
    if (upstreamValue(ctx, name) === undefined) ctx.upstreamHeaders[name] = render(value, scope, headerSafe);
  }
}

/** Removes a header policies put on the answer (rate-limit counters), whatever the case they named it in. */
function dropPolicyHeader(policyHeaders: Record<string, string>, name: string): string | undefined {
  let value: string | undefined;
  for (const key in policyHeaders) {
    if (key.toLowerCase() !== name) continue;
    value = policyHeaders[key];
    delete policyHeaders[key];
  }
  return value;
}

/**
 * Rules on the upstream's answer headers (lower-case names) and on those policies add to it, so
 * that a removed header is gone from the answer whoever would have set it.
 */
export function applyResponseHeaders(
  rules: HeaderRules,
  headers: Record<string, string | string[]>,
  policyHeaders: Record<string, string>,
  scope: TemplateScope,
): void {
  for (const name of rules.remove) {
    delete headers[name];
    dropPolicyHeader(policyHeaders, name);
  }
  for (const [from, to] of rules.rename) {
    const fromPolicy = dropPolicyHeader(policyHeaders, from);
    const value = headers[from] ?? fromPolicy;
    if (value === undefined) continue;
    delete headers[from];
    headers[to] = value;
  }
  for (const [name, value] of rules.set) headers[name] = render(value, scope, headerSafe);
  for (const [name, value] of rules.add) {
    if (headers[name] === undefined) headers[name] = render(value, scope, headerSafe);
  }
}
