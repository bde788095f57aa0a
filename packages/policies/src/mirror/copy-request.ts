import { connectionTokens, declaresBody, isHopByHop } from "@gatehouse/shared";
import type { PolicyContext } from "../types.ts";
import { upstreamQuery } from "../upstream-query.ts";

/**
 * Client headers a copy never carries: the target's own Host, the framing of a body the copy
 * frames itself, `expect` (undici refuses it) and a request id set below.
 */
const LEFT_OUT = new Set(["host", "content-length", "expect", "x-request-id"]);

/** The path and query the main request is sent with, before the target's base path. */
export function copyPath(ctx: PolicyContext): string {
  return ctx.upstream.path + upstreamQuery(ctx.upstream.query, ctx.stripQuery);
}

/** The client's headers less hop-by-hop ones and the credentials the chain took, plus the chain's own and the mirror mark. */
export function copyHeaders(ctx: PolicyContext): Record<string, string> {
  const named = connectionTokens(ctx.headers.connection);
  const out: Record<string, string> = {};
  for (const name in ctx.headers) {
    const value = ctx.headers[name];
    if (value === undefined || isHopByHop(name) || named?.has(name) || LEFT_OUT.has(name)) continue;
    if (ctx.stripHeaders.includes(name)) continue;
    out[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  Object.assign(out, ctx.upstreamHeaders);
  out["x-request-id"] = ctx.requestId;
  out["x-gatehouse-mirror"] = "1";
  return out;
}

/** Whether the client sends a body, as the gateway decides it. */
export function hasBody(ctx: PolicyContext): boolean {
  return declaresBody(ctx.headers);
}
