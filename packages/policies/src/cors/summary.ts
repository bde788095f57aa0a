import type { z } from "zod";
import { someOf } from "../words.ts";
import type { corsSchema } from "./schema.ts";

/** "pages on any origin, GET, POST…" or "pages on https://app.example.com, with credentials". */
export function summarizeCors(config: z.output<typeof corsSchema.config>): string {
  const origins = config.origins.includes("*") ? "any origin" : someOf(config.origins, 2);
  return `pages on ${origins}${config.credentials ? ", with credentials" : ""}`;
}
