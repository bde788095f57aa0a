import { z } from "zod";
import { bodyRules, headerRules, maxBodyBytes, queryRules } from "../transform/rules-schema.ts";
import { capturesOf, parseTemplate } from "../transform/template.ts";
import type { PolicySchema } from "../types.ts";

/** What may stand in a URL path unescaped (RFC 3986 pchar and /, with % for what is already escaped). */
export const NOT_IN_PATH = /[^A-Za-z0-9\-._~!$&'()*+,;=:@/%]/u;

const HOST = /^(?:\[[0-9a-f:.]+\]|[a-z0-9._-]+)(?::\d{1,5})?$/;

function compiles(pattern: string): boolean {
  try {
    new RegExp(pattern);
    return true;
  } catch {
    return false;
  }
}

/** Every template of a config with its field path, for the checks that need the path pattern. */
function* templates(config: RequestTransformerInput): Generator<[Array<string>, string]> {
  for (const part of ["headers", "query", "body"] as const) {
    for (const verb of ["add", "set"] as const) {
      for (const [name, value] of Object.entries(config[part][verb])) {
        if (typeof value === "string") yield [[part, verb, name], value];
      }
    }
  }
  yield [["path"], config.path];
}

/** The capture numbers and names a pattern has: `(?:…)|` matches "" with every group undefined. */
function groupsOf(pattern: string): { count: number; names: Set<string> } {
  const match = new RegExp(`${pattern}|`).exec("") as RegExpExecArray;
  return { count: match.length - 1, names: new Set(Object.keys(match.groups ?? {})) };
}

const fields = z.strictObject({
  headers: headerRules(true).meta({
    title: "Headers",
    description: "add (when absent), set, remove, rename (from → to); values may use $(…) variables.",
  }),
  query: queryRules().meta({
    title: "Query parameters",
    description: "add (when absent), set, remove, rename (from → to); values may use $(…) variables.",
  }),
  pathPattern: z.string().max(500).refine(compiles, "Not a valid regular expression").default("").meta({
    title: "Path pattern",
    description: "A regular expression on the request path; its groups are $(captures.1) or $(captures.name).",
  }),
  path: z
    .string()
    .max(2000)
    .refine((path) => path === "" || path.startsWith("/"), "Start the path with /")
    .refine((path) => !NOT_IN_PATH.test(path), "Use URL path characters: no ?, # or spaces")
    .superRefine((path, ctx) => {
      const parsed = parseTemplate(path);
      if (typeof parsed === "string") ctx.addIssue({ code: "custom", message: parsed });
    })
    .default("")
    .meta({
      title: "Upstream path",
      description:
        "The path sent upstream, e.g. /v2/users/$(params.id); with a path pattern, only when it matches. Empty: unchanged.",
    }),
  host: z
    .string()
    .trim()
    .toLowerCase()
    .refine((host) => host === "" || HOST.test(host), "Use a host name, optionally with :port")
    .default("")
    .meta({
      title: "Upstream Host",
      description: "Sent as the Host header in place of the target's. Empty: the target's.",
    }),
  body: bodyRules(true).meta({
    title: "JSON body",
    description:
      "add, set, remove, rename on fields (user.address.city) of a JSON request body; string values may use $(…) variables.",
  }),
  maxBodyBytes: maxBodyBytes("Larger bodies are not rewritten"),
  onLargeBody: z.enum(["pass", "refuse"]).default("pass").meta({
    title: "Larger or non-JSON bodies",
    description: "pass: sent untouched. refuse: 413 when larger, 400 when not JSON (only with body rules).",
  }),
});

export const requestTransformerSchema = {
  type: "request-transformer",
  title: "Request transformer",
  description:
    "Rewrites what goes upstream: headers, query, path, host and JSON body fields, with values from the request.",
  phase: "transform",
  scopes: ["global", "api", "route", "consumer"],
  config: fields.superRefine((config, ctx) => {
    for (const [path, text] of templates(config)) {
      const parsed = parseTemplate(text);
      // A template that does not parse already has its own field's issue.
      if (typeof parsed === "string") continue;
      const used = capturesOf(parsed);
      if (used.length === 0) continue;
      if (config.pathPattern === "" || !compiles(config.pathPattern)) {
        ctx.addIssue({ code: "custom", path, message: "$(captures.…) needs a path pattern" });
        continue;
      }
      const groups = groupsOf(config.pathPattern);
      for (const name of used) {
        const known = /^\d+$/.test(name) ? Number(name) <= groups.count : groups.names.has(name);
        if (!known) ctx.addIssue({ code: "custom", path, message: `The path pattern has no group ${name}` });
      }
    }
  }),
} as const satisfies PolicySchema;

type RequestTransformerInput = z.output<typeof fields>;
