import { z } from "zod";
import type { PolicySchema } from "../types.ts";

const MIB = 1024 * 1024;

export const requestSizeLimitSchema = {
  type: "request-size-limit",
  title: "Request size limit",
  description: "Refuses request bodies larger than a limit with 413, whether declared up front or streamed.",
  // The last phase still runs before the gateway reads the body, and by then the consumer is known.
  phase: "transform",
  scopes: ["global", "api", "route", "consumer"],
  config: z.strictObject({
    maxBytes: z
      .int()
      .min(1)
      .max(1024 * MIB)
      .default(MIB)
      .meta({ title: "Largest body (bytes)", description: "Bodies over this are refused; at most 1 GiB." }),
  }),
} as const satisfies PolicySchema;
