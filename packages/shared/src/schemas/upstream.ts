import { z } from "zod";
import { headerName } from "../http-token.ts";
import { nameSchema, patchOf, tagsSchema, timestampSchema } from "./common.ts";
import { shownWhen } from "./field-rules.ts";
import { healthChecksSchema } from "./health-check.ts";
import { upstreamTlsSchema, upstreamTlsShownSchema } from "./upstream-tls.ts";

export const BALANCING_ALGORITHMS = ["round-robin", "least-connections", "consistent-hash"] as const;
export type BalancingAlgorithm = (typeof BALANCING_ALGORITHMS)[number];

export const hashOnSchema = z
  .discriminatedUnion("by", [
    z.strictObject({ by: z.literal("ip") }),
    z.strictObject({ by: z.literal("consumer") }),
    z.strictObject({
      by: z.literal("header"),
      header: headerName(),
    }),
  ])
  .meta({
    title: "Hash on",
    description:
      "What consistent hashing keys on: the client IP, the consumer an auth policy named (else the client IP) or a request header",
  });
export type HashOn = z.output<typeof hashOnSchema>;

function targetUrlProblem(value: string): string | null {
  if (!URL.canParse(value)) return "Enter a URL such as http://10.0.0.5:8000";
  const url = new URL(value);
  if (url.protocol !== "http:" && url.protocol !== "https:") return "Use an http:// or https:// URL";
  if (url.hostname === "") return "The URL needs a host";
  if (url.search !== "" || url.hash !== "" || url.username !== "" || url.password !== "") {
    return "A target URL has no query, fragment or credentials";
  }
  return null;
}

/**
 * What makes two target URLs the same target: the gateway calls http://a:80, http://A/ and
 * http://a alike (URL drops the default port and lower-cases the host) and strips a base path's
 * trailing slashes, so /base/ and /base are one target too.
 */
export function targetUrlKey(value: string): string {
  const url = new URL(value.trim());
  return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, "")}`;
}

export const targetUrlSchema = z
  .string()
  .trim()
  .max(2048)
  .check((ctx) => {
    const problem = targetUrlProblem(ctx.value);
    if (problem) ctx.issues.push({ code: "custom", message: problem, input: ctx.value });
  })
  .meta({
    title: "URL",
    description: "Where the upstream listens, e.g. http://10.0.0.5:8000; a path becomes a prefix",
  });

export const targetInputSchema = z.strictObject({
  url: targetUrlSchema,
  weight: z
    .int("Weight is a whole number")
    .min(0, "Weight is at least 0")
    .max(1000, "Weight is at most 1000")
    .default(100)
    .meta({ title: "Weight", description: "Share of traffic relative to the other targets; 0 drains the target" }),
  enabled: z.boolean().default(true).meta({ title: "Enabled" }),
});
export type TargetInput = z.input<typeof targetInputSchema>;

// Refused when empty: a target has no updatedAt, so an empty patch would be an UPDATE with nothing to set.
export const targetPatchSchema = patchOf(targetInputSchema).refine(
  (value) => Object.keys(value).length > 0,
  "Nothing to change",
);

export const targetSchema = z.object({
  id: z.string(),
  upstreamId: z.string(),
  url: z.string(),
  weight: z.int(),
  enabled: z.boolean(),
  createdAt: timestampSchema,
});
export type Target = z.infer<typeof targetSchema>;

const timeoutMs = (title: string, fallback: number) =>
  z
    .int("Timeouts are whole milliseconds")
    .min(1, "A timeout is at least 1 ms")
    .max(600_000, "A timeout is at most 10 minutes")
    .default(fallback)
    .meta({ title, description: "Milliseconds" });

export const upstreamSettingsSchema = z.strictObject({
  algorithm: z.enum(BALANCING_ALGORITHMS).default("round-robin").meta({
    title: "Balancing",
    description: "round-robin and least-connections honour weights; consistent-hash keeps a client on one target",
  }),
  hashOn: hashOnSchema.default({ by: "ip" }),
  connectTimeoutMs: timeoutMs("Connect timeout", 5_000),
  sendTimeoutMs: timeoutMs("Send timeout", 60_000),
  readTimeoutMs: timeoutMs("Read timeout", 60_000),
  retries: z.int("Retries are a whole number").min(0, "At least 0").max(10, "At most 10 retries").default(1).meta({
    title: "Retries",
    description: "Extra tries on another target, only when safe (nothing sent yet, or an idempotent request)",
  }),
  healthChecks: healthChecksSchema.prefault({}).meta({ title: "Health checks" }),
  tls: upstreamTlsSchema.prefault({}).meta({ title: "TLS", description: "How https:// targets are verified" }),
  tags: tagsSchema.default([]),
});

shownWhen(upstreamSettingsSchema, { algorithm: "consistent-hash" }, ["hashOn"]);

export const upstreamCreateSchema = upstreamSettingsSchema.extend({
  name: nameSchema,
  targets: z
    .array(targetInputSchema)
    .min(1, "Add at least one target")
    .max(64, "At most 64 targets")
    .meta({ title: "Targets" }),
});
export type UpstreamCreate = z.input<typeof upstreamCreateSchema>;

export const upstreamPatchSchema = patchOf(upstreamSettingsSchema.extend({ name: nameSchema })).refine(
  (value) => Object.keys(value).length > 0,
  "Nothing to change",
);
export type UpstreamPatch = z.input<typeof upstreamPatchSchema>;

export const upstreamSchema = z.object({
  id: z.string(),
  name: z.string(),
  algorithm: z.enum(BALANCING_ALGORITHMS),
  hashOn: hashOnSchema,
  connectTimeoutMs: z.int(),
  sendTimeoutMs: z.int(),
  readTimeoutMs: z.int(),
  retries: z.int(),
  healthChecks: healthChecksSchema,
  tls: upstreamTlsShownSchema,
  tags: z.array(z.string()),
  targets: z.array(targetSchema),
  createdAt: timestampSchema,
  updatedAt: timestampSchema,
});
export type Upstream = z.infer<typeof upstreamSchema>;
