import type { PathTemplate } from "./path.ts";

/**
 * The path sent upstream, before the target's base path: the request path as is, with the
 * matched part removed (strip), or with the matched part replaced by the rewrite template.
 */
export function upstreamPath(
  path: string,
  matchedLength: number,
  stripPath: boolean,
  rewrite: PathTemplate | null,
  paramNames: readonly string[],
  paramValues: readonly string[],
): string {
  if (rewrite === null && !stripPath) return path;
  const rest = path.slice(matchedLength);
  if (rewrite === null) return rest === "" ? "/" : rest;
  let head = "";
  for (const part of rewrite) {
    if (typeof part === "string") head += part;
    else head += paramValues[paramNames.indexOf(part.param)] ?? "";
  }
  if (rest === "") return head === "" ? "/" : head;
  return head.endsWith("/") ? head + rest.slice(1) : head + rest;
}

/** Joins a target's base path (`/base`, no trailing slash, or "") with the upstream path. */
export function joinBasePath(basePath: string, path: string): string {
  return basePath === "" ? path : basePath + path;
}
