import type { z } from "zod";
import type { mirrorSchema } from "./schema.ts";

/** "copies 10% of requests to ups_…". */
export function summarizeMirror(config: z.output<typeof mirrorSchema.config>): string {
  return `copies ${config.percent}% of requests to ${config.upstreamId}`;
}
