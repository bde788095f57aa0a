import { z } from "zod";
import type { PolicySchema } from "../types.ts";

const KIB = 1024;

export const mirrorSchema = {
  type: "mirror",
  title: "Mirror",
  description:
    "Sends a copy of a share of requests to another upstream pool and throws its answers away; the client's answer never waits for it.",
  // The last phase: the copy goes where the chain left the request (path, query, headers).
  phase: "route",
  scopes: ["global", "api", "route", "consumer"],
  upstreamFields: ["upstreamId"],
  config: z.strictObject({
    upstreamId: z
      .string()
      .min(1)
      .meta({ title: "Mirror upstream", description: "The upstream pool that gets the copies." }),
    percent: z
      .number()
      .min(0)
      .max(100)
      .multipleOf(0.01)
      .default(100)
      .meta({ title: "Share (%)", description: "Requests copied, drawn at random per request; up to two decimals." }),
    maxBodyBytes: z
      .int()
      .min(0)
      .max(16 * KIB * KIB)
      .default(64 * KIB)
      .meta({
        title: "Largest body copied (bytes)",
        description: "A request with a larger body goes upstream untouched and is not copied (counted as skipped).",
      }),
    maxConcurrent: z.int().min(1).max(10_000).default(64).meta({
      title: "Copies in flight",
      description: "Per gateway thread; past it a copy is dropped and counted, never queued.",
    }),
    timeoutMs: z
      .int()
      .min(1)
      .max(60_000)
      .default(5_000)
      .meta({ title: "Timeout (ms)", description: "A copy unanswered by then is abandoned and counted as failed." }),
  }),
} as const satisfies PolicySchema;
