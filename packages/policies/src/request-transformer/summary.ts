import type { z } from "zod";
import { rulesInWords } from "../transform/rules-summary.ts";
import type { requestTransformerSchema } from "./schema.ts";

/** "headers: set 2, remove 1; path /v2/$(params.id); body: add 1". */
export function summarizeRequestTransformer(config: z.output<typeof requestTransformerSchema.config>): string {
  const parts = [
    rulesInWords("headers", config.headers),
    rulesInWords("query", config.query),
    config.path === "" ? "" : `path ${config.path}`,
    config.host === "" ? "" : `host ${config.host}`,
    rulesInWords("body", config.body),
  ].filter((part) => part !== "");
  return parts.length === 0 ? "no changes" : parts.join("; ");
}
