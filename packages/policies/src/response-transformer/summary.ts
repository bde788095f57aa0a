import type { z } from "zod";
import { rulesInWords } from "../transform/rules-summary.ts";
import type { responseTransformerSchema } from "./schema.ts";

/** "headers: remove 1; body: rename 1". */
export function summarizeResponseTransformer(config: z.output<typeof responseTransformerSchema.config>): string {
  const parts = [rulesInWords("headers", config.headers), rulesInWords("body", config.body)].filter(
    (part) => part !== "",
  );
  return parts.length === 0 ? "no changes" : parts.join("; ");
}
