/** RFC 9110 §7.6.1 connection-specific headers; `proxy-*` is handled by prefix. */
const HOP_BY_HOP = new Set(["connection", "keep-alive", "te", "trailer", "transfer-encoding", "upgrade"]);

/** A header that belongs to one connection and is never forwarded (a lower-case name). */
export function isHopByHop(lowerName: string): boolean {
  return HOP_BY_HOP.has(lowerName) || lowerName.startsWith("proxy-");
}

/** The header names a Connection header lists, which are hop-by-hop too; null when it names none. */
export function connectionTokens(value: string | string[] | undefined): Set<string> | null {
  // The usual values name no header beyond those always dropped: nothing to split per request.
  if (value === undefined || value === "keep-alive" || value === "close" || value === "Keep-Alive" || value === "Close")
    return null;
  const joined = Array.isArray(value) ? value.join(",") : value;
  const tokens = new Set<string>();
  for (const token of joined.split(",")) {
    const name = token.trim().toLowerCase();
    if (name !== "") tokens.add(name);
  }
  return tokens;
}
