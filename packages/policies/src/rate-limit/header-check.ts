/**
 * Test support: reads every rate-limit header of an answer with a third-party structured-field
 * parser (npm structured-headers, RFC 9651) and checks the values agree with the limits.
 */
import { type BareItem, parseItem, parseList } from "structured-headers";

const WINDOW_SECONDS: Record<string, number> = { second: 1, minute: 60, hour: 3600, day: 86_400 };
/** Names whose value is one sf-integer: the older draft's, Kong's, the quota policy's and Retry-After. */
const INTEGER_HEADER =
  /^(ratelimit-(limit|remaining|reset)|x-ratelimit-(limit|remaining)-\w+|x-quota-(limit|remaining)-\w+|retry-after)$/;

export interface DraftItem {
  name: string;
  params: Record<string, BareItem>;
}

export interface RateLimitHeaders {
  /** Every integer header, lower-cased name to value. */
  integers: Record<string, number>;
  /** RateLimit-Policy and RateLimit as lists of named items, when sent. */
  policy?: DraftItem[];
  limit?: DraftItem[];
}

function integer(name: string, value: BareItem): number {
  if (typeof value !== "number" || !Number.isInteger(value))
    throw new Error(`${name}: ${String(value)} is not an sf-integer`);
  return value;
}

function draftList(name: string, text: string): DraftItem[] {
  return parseList(text).map((member) => {
    if (Array.isArray(member[0])) throw new Error(`${name}: an inner list where an item belongs`);
    const [value, params] = member;
    // The draft's item value is an sf-string; the parser gives a token (unquoted) as a Token object.
    if (typeof value !== "string") throw new Error(`${name}: ${String(value)} is not an sf-string`);
    return { name: value, params: Object.fromEntries(params) };
  });
}

/** Parses every rate-limit header; throws, naming the header, on one that is not what the spec says. */
export function parseRateLimitHeaders(
  headers: Headers | Record<string, string | string[] | undefined>,
): RateLimitHeaders {
  const entries: [string, string][] =
    headers instanceof Headers
      ? [...headers.entries()]
      : Object.entries(headers).flatMap(([name, value]) => (value === undefined ? [] : [[name, String(value)]]));
  const out: RateLimitHeaders = { integers: {} };
  for (const [rawName, text] of entries) {
    const name = rawName.toLowerCase();
    if (INTEGER_HEADER.test(name)) {
      const [value, params] = parseItem(text);
      if (params.size > 0) throw new Error(`${name}: unexpected parameters in ${text}`);
      out.integers[name] = integer(name, value);
    } else if (name === "ratelimit-policy") out.policy = draftList(name, text);
    else if (name === "ratelimit") out.limit = draftList(name, text);
  }
  return out;
}

/**
 * What is wrong with the headers against `limits` (window to requests), [] when nothing.
 * `refused`: the answer is a 429, whose Retry-After must not be earlier than any spent window's reset.
 */
export function rateLimitProblems(
  parsed: RateLimitHeaders,
  limits: Record<string, number>,
  refused: boolean,
): string[] {
  const problems: string[] = [];
  const windows = Object.keys(limits);
  const { integers: n, policy, limit } = parsed;
  if (policy !== undefined) {
    if (policy.map((item) => item.name).join() !== windows.join())
      problems.push(`RateLimit-Policy names ${policy.map((i) => i.name)}`);
    for (const item of policy) {
      if (integer(`q of ${item.name}`, item.params.q as BareItem) !== limits[item.name])
        problems.push(`q of ${item.name} is ${item.params.q}`);
      if (integer(`w of ${item.name}`, item.params.w as BareItem) !== WINDOW_SECONDS[item.name])
        problems.push(`w of ${item.name} is ${item.params.w}`);
    }
  }
  const remaining = new Map<string, { r: number; t: number }>();
  if (limit !== undefined) {
    if (limit.map((item) => item.name).join() !== windows.join())
      problems.push(`RateLimit names ${limit.map((i) => i.name)}`);
    for (const item of limit) {
      const r = integer(`r of ${item.name}`, item.params.r as BareItem);
      const t = integer(`t of ${item.name}`, item.params.t as BareItem);
      const cap = limits[item.name] ?? 0;
      const size = WINDOW_SECONDS[item.name] ?? 0;
      if (r < 0 || r > cap) problems.push(`r of ${item.name} is ${r}, outside 0..${cap}`);
      // A spent window's reset is when one more request fits, which may lie in the next fixed window.
      if (t < 1 || t > (r > 0 ? size : 2 * size)) problems.push(`t of ${item.name} is ${t}`);
      remaining.set(item.name, { r, t });
    }
  }
  for (const window of windows) {
    const capital = window[0]?.toUpperCase() + window.slice(1);
    const kongLimit = n[`x-ratelimit-limit-${window}`];
    const kongRemaining = n[`x-ratelimit-remaining-${window}`];
    if (kongLimit !== undefined && kongLimit !== limits[window])
      problems.push(`X-RateLimit-Limit-${capital} is ${kongLimit}`);
    const draft = remaining.get(window);
    if (kongRemaining !== undefined && draft !== undefined && kongRemaining !== draft.r) {
      problems.push(`X-RateLimit-Remaining-${capital} ${kongRemaining} but RateLimit r=${draft.r}`);
    }
  }
  if (n["ratelimit-limit"] !== undefined && remaining.size > 0) {
    const least = Math.min(...[...remaining.values()].map((item) => item.r));
    const tightest = [...remaining].filter(([, item]) => item.r === least);
    const match = tightest.find(
      ([name, item]) => limits[name] === n["ratelimit-limit"] && item.t === n["ratelimit-reset"],
    );
    if (n["ratelimit-remaining"] !== least || match === undefined) {
      problems.push(
        `RateLimit-Limit/-Remaining/-Reset ${n["ratelimit-limit"]}/${n["ratelimit-remaining"]}/${n["ratelimit-reset"]} name no tightest window`,
      );
    }
  }
  if (refused) {
    const retryAfter = n["retry-after"];
    const spent = [...remaining].filter(([, item]) => item.r === 0);
    if (retryAfter === undefined || retryAfter < 1) problems.push("a 429 without Retry-After");
    else if (remaining.size > 0 && spent.length === 0) problems.push("a 429, yet every window has room");
    for (const [name, item] of spent) {
      if (retryAfter !== undefined && retryAfter < item.t)
        problems.push(`Retry-After ${retryAfter} is before ${name}'s reset ${item.t}`);
    }
  }
  return problems;
}
