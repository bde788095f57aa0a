import { headerName, shownWhen } from "@gatehouse/shared";
import { z } from "zod";
import { requireRedisUrl, storeFields } from "../redis/settings.ts";
import type { PolicySchema } from "../types.ts";

const MIB = 1024 * 1024;
export const CACHEABLE_METHODS = ["GET", "HEAD"] as const;
const DEFAULT_STATUSES = [200, 203, 204, 300, 301, 404, 410];

export const proxyCacheSchema = {
  type: "proxy-cache",
  title: "Proxy cache",
  description:
    "Answers repeated GET and HEAD requests from a copy of the upstream's answer, honouring its Cache-Control, Expires and Vary.",
  phase: "cache",
  scopes: ["global", "api", "route"],
  config: z
    .strictObject({
      ttlSeconds: z.int().min(1).max(31_536_000).default(300).meta({
        title: "Default TTL (seconds)",
        description: "How long an answer is kept when the upstream sends no max-age, s-maxage or Expires.",
      }),
      methods: z
        .array(z.enum(CACHEABLE_METHODS))
        .min(1)
        .default([...CACHEABLE_METHODS])
        .meta({
          title: "Methods",
          description: "Requests answered from the cache; HEAD is answered from GET's copy. Others go upstream.",
        }),
      statuses: z
        .array(z.int().min(200).max(599))
        .min(1)
        .default(DEFAULT_STATUSES)
        .meta({ title: "Statuses", description: "Upstream statuses that may be kept." }),
      varyHeaders: z
        .array(headerName({ trim: true }))
        .max(20)
        .default([])
        .meta({
          title: "Key headers",
          description: "Request headers whose values are part of the key (the upstream's Vary is honoured anyway).",
        }),
      perConsumer: z.boolean().default(false).meta({
        title: "Per consumer",
        description:
          "Each consumer gets its own copies; only then are requests with Authorization or Cookie answered from the cache.",
      }),
      maxBodyBytes: z
        .int()
        .min(1)
        .max(64 * MIB)
        .default(MIB)
        .meta({ title: "Largest body (bytes)", description: "Larger answers stream through and are not kept." }),
      memoryBytes: z
        .int()
        .min(MIB)
        .max(16 * 1024 * MIB)
        .default(64 * MIB)
        .meta({
          title: "Memory (bytes)",
          description:
            "With the memory store: the most each gateway thread keeps; the least recently used answers go first.",
        }),
      ...storeFields,
    })
    .superRefine((config, ctx) => {
      if (config.methods.includes("HEAD") && !config.methods.includes("GET")) {
        ctx.addIssue({ code: "custom", path: ["methods"], message: "HEAD is answered from GET's copies: add GET" });
      }
      if (config.store === "memory" && config.maxBodyBytes > config.memoryBytes) {
        ctx.addIssue({ code: "custom", path: ["maxBodyBytes"], message: "Keep the largest body within the memory" });
      }
      requireRedisUrl(config, ctx);
    }),
} as const satisfies PolicySchema;

shownWhen(proxyCacheSchema.config, { store: "memory" }, ["memoryBytes"]);
