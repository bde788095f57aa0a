/** A compiled route host: `api.example.com`, `*.example.com`, optionally with `:port`. */
export interface HostPattern {
  /** For exact hosts the host itself; for wildcards the suffix including the dot (`.example.com`). */
  value: string;
  wildcard: boolean;
  /** Compare against host:port instead of the bare host name. */
  withPort: boolean;
}

/** How specific a host match is; higher wins. */
export const HOST_EXACT = 2;
export const HOST_WILDCARD = 1;
export const HOST_ANY = 0;
export const HOST_MISMATCH = -1;

export function parseHostPattern(host: string): HostPattern {
  const lower = host.trim().toLowerCase();
  const withPort = /:\d+$/.test(lower);
  if (lower.startsWith("*.")) return { value: lower.slice(1), wildcard: true, withPort };
  return { value: lower, wildcard: false, withPort };
}

/** The request's Host header, lowercased, and its name without the port. */
export interface RequestHost {
  full: string;
  name: string;
}

export function parseRequestHost(header: string | undefined): RequestHost {
  if (!header) return { full: "", name: "" };
  const full = header.toLowerCase();
  if (full.startsWith("[")) {
    const end = full.indexOf("]");
    return { full, name: end === -1 ? full : full.slice(0, end + 1) };
  }
  const colon = full.lastIndexOf(":");
  return { full, name: colon === -1 ? full : full.slice(0, colon) };
}

/** The best rank any of the patterns gives this host, or HOST_MISMATCH. */
export function rankHost(patterns: readonly HostPattern[] | null, host: RequestHost): number {
  if (patterns === null) return HOST_ANY;
  let best = HOST_MISMATCH;
  for (const pattern of patterns) {
    const candidate = pattern.withPort ? host.full : host.name;
    if (pattern.wildcard) {
      if (candidate.length > pattern.value.length && candidate.endsWith(pattern.value)) best = HOST_WILDCARD;
    } else if (candidate === pattern.value) {
      return HOST_EXACT;
    }
  }
  return best;
}
