import { shownWhen } from "@gatehouse/shared";
import { type RefinementCtx, z } from "zod";

const STORES = ["memory", "redis"] as const;

const isRedisUrl = (text: string) => {
  try {
    return ["redis:", "rediss:"].includes(new URL(text).protocol);
  } catch {
    return false;
  }
};

/** Where a counting policy (rate-limit, quota) keeps its counts, and how it reaches Redis: one definition for both. */
export const storeFields = {
  store: z.enum(STORES).default("memory").meta({
    title: "Store",
    description: "memory counts in each gateway process; redis shares the counts between gateways.",
  }),
  redisUrl: z
    .string()
    .trim()
    .refine((value) => value === "" || isRedisUrl(value), "Use a redis:// or rediss:// URL")
    .default("")
    .meta({
      title: "Redis URL",
      description: "With the redis store: e.g. redis://:password@redis.internal:6379/0 (rediss:// for TLS).",
    }),
  failOpen: z.boolean().default(true).meta({
    title: "Admit when Redis is down",
    description: "On: requests pass uncounted while Redis cannot be reached. Off: they are refused with 503.",
  }),
  timeoutMs: z.int().min(1).max(10_000).default(100).meta({
    title: "Redis timeout (ms)",
    description: "How long a request waits for Redis before it counts as down.",
  }),
};

// The fields are shared, so their form rule is stated once here for every policy that spreads them.
shownWhen({ shape: storeFields }, { store: "redis" }, ["redisUrl", "failOpen", "timeoutMs"]);

/** For a config's superRefine: the redis store needs a URL. */
export function requireRedisUrl(config: { store: string; redisUrl: string }, ctx: RefinementCtx): void {
  if (config.store === "redis" && config.redisUrl === "") {
    ctx.addIssue({ code: "custom", path: ["redisUrl"], message: "The redis store needs a Redis URL" });
  }
}
