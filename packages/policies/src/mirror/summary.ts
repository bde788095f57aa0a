import type { z } from "zod";
import type { mirrorSchema } from "./schema.ts";

/** "copies 10% of requests to orders-next" (the pool named when the caller knows it, else its id). */
export function summarizeMirror(config: z.output<typeof mirrorSchema.config>): string {
  return `copies ${config.percent}% of requests to ${config.upstreamId}`;
}
