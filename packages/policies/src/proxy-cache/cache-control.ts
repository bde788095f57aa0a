/** Directives of a Cache-Control header: lower-case names, a value where one was given (quotes removed). */
export type Directives = ReadonlyMap<string, string | null>;

const NO_DIRECTIVES: Directives = new Map();

/** Parses one or more Cache-Control header values (RFC 9111 §5.2); commas inside quotes do not split. */
export function parseCacheControl(header: string | string[] | undefined): Directives {
  if (header === undefined) return NO_DIRECTIVES;
  const text = Array.isArray(header) ? header.join(",") : header;
  const directives = new Map<string, string | null>();
  for (const part of text.match(/(?:[^,"]|"(?:[^"\\]|\\.)*")+/g) ?? []) {
    const eq = part.indexOf("=");
    const name = (eq === -1 ? part : part.slice(0, eq)).trim().toLowerCase();
    if (name === "" || directives.has(name)) continue;
    const raw = eq === -1 ? null : part.slice(eq + 1).trim();
    directives.set(name, raw?.startsWith('"') ? raw.slice(1, -1).replace(/\\(.)/g, "$1") : raw);
  }
  return directives;
}

/** A delta-seconds value, or undefined when absent or malformed (a malformed max-age is not a lifetime). */
function seconds(directives: Directives, name: string): number | undefined {
  const value = directives.get(name);
  if (value === undefined || value === null || !/^\d+$/.test(value)) return undefined;
  return Number(value);
}

/** A request the cache must not answer: `no-cache` may refresh the copy, `no-store` may not. */
export function requestDirective(header: string | string[] | undefined): "no-store" | "no-cache" | null {
  const directives = parseCacheControl(header);
  if (directives.has("no-store")) return "no-store";
  return directives.has("no-cache") ? "no-cache" : null;
}

/** Why an answer is not kept, or how long it is fresh for. */
export type Freshness = { keep: false; why: string } | { keep: true; lifetimeMs: number };

/**
 * How long a shared cache may serve an answer (RFC 9111 §4.2.1): s-maxage, else max-age, else
 * Expires against Date, else the policy's default. no-store, private and no-cache answers are
 * not kept: a shared cache may not serve them to anyone without asking the upstream again.
 */
export function freshness(
  headers: Readonly<Record<string, string | string[]>>,
  defaultMs: number,
  now: number,
): Freshness {
  const directives = parseCacheControl(headers["cache-control"]);
  for (const refusal of ["no-store", "private", "no-cache"]) {
    if (directives.has(refusal)) return { keep: false, why: refusal };
  }
  const maxAge = seconds(directives, "s-maxage") ?? seconds(directives, "max-age");
  let lifetimeMs = defaultMs;
  if (maxAge !== undefined) {
    lifetimeMs = maxAge * 1000;
  } else if (directives.has("s-maxage") || directives.has("max-age")) {
    return { keep: false, why: "malformed max-age" };
  } else if (headers.expires !== undefined) {
    const expires = Date.parse(first(headers.expires));
    // An invalid Expires, such as "0", means already expired (RFC 9111 §5.3).
    if (Number.isNaN(expires)) return { keep: false, why: "expired" };
    const date = headers.date === undefined ? Number.NaN : Date.parse(first(headers.date));
    lifetimeMs = expires - (Number.isNaN(date) ? now : date);
  }
  const ageMs = ageSeconds(headers) * 1000;
  if (lifetimeMs - ageMs <= 0) return { keep: false, why: "expired" };
  return { keep: true, lifetimeMs: lifetimeMs - ageMs };
}

/** The upstream's Age, or 0. */
export function ageSeconds(headers: Readonly<Record<string, string | string[]>>): number {
  const value = headers.age === undefined ? "" : first(headers.age);
  return /^\d+$/.test(value) ? Number(value) : 0;
}

const first = (value: string | string[]) => (Array.isArray(value) ? (value[0] ?? "") : value);
