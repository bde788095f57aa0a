import type { KeyLimits } from "@gatehouse/shared";
import type { HEADER_SETS } from "./schema.ts";
import { WINDOW_HEADERS, WINDOW_MS, type WindowResult } from "./window.ts";

export type HeaderSet = (typeof HEADER_SETS)[number];

/**
 * The counting headers of one answer, in the sets the policy sends. The draft's fields
 * (draft-ietf-httpapi-ratelimit-headers) are structured-field lists with one item per window,
 * named after it: `RateLimit-Policy: "minute";q=60;w=60` and `RateLimit: "minute";r=59;t=42`.
 */
export function writeHeaders(
  headers: Record<string, string>,
  sets: ReadonlySet<HeaderSet>,
  limits: KeyLimits,
  results: readonly WindowResult[],
  tightest: WindowResult,
): void {
  if (sets.has("kong")) {
    for (const result of results) {
      const names = WINDOW_HEADERS[result.window];
      headers[names.limit] = String(result.limit);
      headers[names.remaining] = String(result.remaining);
    }
  }
  if (sets.has("legacy")) {
    headers["RateLimit-Limit"] = String(tightest.limit);
    headers["RateLimit-Remaining"] = String(tightest.remaining);
    headers["RateLimit-Reset"] = String(tightest.reset);
  }
  if (sets.has("draft")) {
    headers["RateLimit-Policy"] = policyField(limits, results);
    headers.RateLimit = results
      .map((result) => `"${result.window}";r=${result.remaining};t=${result.reset}`)
      .join(", ");
  }
}

/** The same limits object on every request of a revision (the policy's, a key's, a plan's): built once each. */
const policyFields = new WeakMap<KeyLimits, string>();

function policyField(limits: KeyLimits, results: readonly WindowResult[]): string {
  let field = policyFields.get(limits);
  if (field === undefined) {
    field = results.map((r) => `"${r.window}";q=${r.limit};w=${WINDOW_MS[r.window] / 1000}`).join(", ");
    policyFields.set(limits, field);
  }
  return field;
}
