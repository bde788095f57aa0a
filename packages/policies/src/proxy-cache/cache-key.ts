import { headerValue, type PolicyContext } from "../types.ts";
import type { CachedAnswer } from "./cached-answer.ts";

export interface KeyOptions {
  varyHeaders: readonly string[];
  perConsumer: boolean;
}

/** A request header's values as one string: repeated headers joined, absent as "". */
function requestValue(ctx: PolicyContext, name: string): string {
  const value = ctx.headers[name];
  return Array.isArray(value) ? value.join(", ") : (value ?? "");
}

/** The query with its parameters sorted by name (stable), so `?b=1&a=2` and `?a=2&b=1` share a copy. */
export function normalisedQuery(query: string): string {
  if (query === "") return "";
  const params = new URLSearchParams(query);
  params.sort();
  return params.toString();
}

/**
 * What a copy is kept under: method (HEAD reads GET's), host, the path and query as sent
 * upstream, the configured headers' values, and the consumer when copies are per consumer.
 * Lines, since none of the parts can hold a line break.
 */
export function cacheKey(ctx: PolicyContext, options: KeyOptions): string {
  const parts = [
    ctx.method === "HEAD" ? "GET" : ctx.method,
    ctx.upstream.host ?? headerValue(ctx, "host") ?? "",
    ctx.upstream.path,
    normalisedQuery(ctx.upstream.query),
  ];
  for (const name of options.varyHeaders) parts.push(`${name}: ${requestValue(ctx, name)}`);
  if (options.perConsumer) parts.push(`consumer: ${ctx.consumer?.id ?? ""}`);
  return parts.join("\n");
}

/** The request header names an answer's Vary lists, lower-case; "*" when it varies on anything. */
export function varyNames(vary: string | string[] | undefined): string[] {
  if (vary === undefined) return [];
  const text = Array.isArray(vary) ? vary.join(",") : vary;
  return text
    .split(",")
    .map((name) => name.trim().toLowerCase())
    .filter((name) => name !== "");
}

/** The values of the named headers in this request, to keep with the copy. */
export function varyValues(ctx: PolicyContext, names: readonly string[]): Record<string, string> {
  const values: Record<string, string> = {};
  for (const name of names) values[name] = requestValue(ctx, name);
  return values;
}

/** Whether this request sends the same values of the Vary headers as the one the copy was kept for. */
export function varyMatches(ctx: PolicyContext, answer: CachedAnswer): boolean {
  for (const name in answer.vary) {
    if (requestValue(ctx, name) !== answer.vary[name]) return false;
  }
  return true;
}
