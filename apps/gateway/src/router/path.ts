/** One segment of a route path: a literal, or a `:name` parameter. */
export interface PathSegment {
  value: string;
  param: boolean;
}

const PARAM = /^:[A-Za-z_][A-Za-z0-9_]*$/;
const LITERAL = /^[A-Za-z0-9._~!$&'()*+,;=@%-]+$/;

/** Parsed paths, kept across reloads: a reload of 10,000 routes re-parses only what changed. */
const parsed = new Map<string, readonly PathSegment[]>();
const MAX_PARSED = 100_000;

/**
 * Splits a route path into segments. A trailing slash is not significant (`/demo/` is `/demo`),
 * so `/` has no segments. Throws on anything the route schema would refuse.
 */
export function parseRoutePath(path: string): readonly PathSegment[] {
  let segments = parsed.get(path);
  if (segments === undefined) {
    segments = splitRoutePath(path);
    if (parsed.size >= MAX_PARSED) parsed.clear();
    parsed.set(path, segments);
  }
  return segments;
}

function splitRoutePath(path: string): readonly PathSegment[] {
  if (!path.startsWith("/")) throw new Error(`path ${JSON.stringify(path)} does not start with /`);
  const trimmed = path.endsWith("/") ? path.slice(0, -1) : path;
  if (trimmed === "") return [];
  const segments: PathSegment[] = [];
  const seen = new Set<string>();
  for (const value of trimmed.slice(1).split("/")) {
    if (PARAM.test(value)) {
      if (seen.has(value)) throw new Error(`path ${path} names ${value} twice`);
      seen.add(value);
      segments.push({ value: value.slice(1), param: true });
    } else if (LITERAL.test(value)) {
      segments.push({ value, param: false });
    } else {
      throw new Error(`path ${path} has an invalid segment ${JSON.stringify(value)}`);
    }
  }
  return segments;
}

/** A rewrite template split into literal text and parameter names, expanded per request. */
export type PathTemplate = readonly (string | { param: string })[];

export function parseTemplate(template: string): PathTemplate {
  const parts: (string | { param: string })[] = [];
  const pattern = /:([A-Za-z_][A-Za-z0-9_]*)/g;
  let last = 0;
  for (let m = pattern.exec(template); m !== null; m = pattern.exec(template)) {
    if (m.index > last) parts.push(template.slice(last, m.index));
    parts.push({ param: m[1] as string });
    last = m.index + m[0].length;
  }
  if (last < template.length) parts.push(template.slice(last));
  return parts;
}

export function templateParams(template: PathTemplate): string[] {
  return template.flatMap((part) => (typeof part === "string" ? [] : [part.param]));
}
