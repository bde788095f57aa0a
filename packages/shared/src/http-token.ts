import { z } from "zod";

/** One `tchar` of RFC 9110 §5.6.2, for patterns built from it (a comma-separated list of tokens). */
export const TCHAR = "[!#$%&'*+.^_`|~0-9A-Za-z-]";

/** An RFC 9110 token: what a header name, a method or a cookie name must be. */
export const HTTP_TOKEN = new RegExp(`^${TCHAR}+$`);

/** A token, or nothing: for fields where empty turns a feature off. */
export const HTTP_TOKEN_OR_EMPTY = new RegExp(`^${TCHAR}*$`);

/** RFC 9110 §7.6.1 connection-specific headers; `proxy-*` is handled by prefix. */
const HOP_BY_HOP = new Set(["connection", "keep-alive", "te", "trailer", "transfer-encoding", "upgrade"]);

/** A header that belongs to one connection: a proxy never forwards it. Takes a lower-case name. */
export function isHopByHop(lowerName: string): boolean {
  return HOP_BY_HOP.has(lowerName) || lowerName.startsWith("proxy-");
}

export const HEADER_NAME_MESSAGE = "Not a valid header name";

/**
 * A header name, taken in either case and lower-cased: Node hands the gateway header names in
 * lower case, so a name kept in any other case would never match. `trim` for a field typed into
 * a policy's form; `optional` where empty turns the feature off.
 */
export function headerName(options: { trim?: boolean; optional?: boolean } = {}) {
  const text = options.trim ? z.string().trim() : z.string();
  return text.regex(options.optional ? HTTP_TOKEN_OR_EMPTY : HTTP_TOKEN, HEADER_NAME_MESSAGE).toLowerCase();
}
