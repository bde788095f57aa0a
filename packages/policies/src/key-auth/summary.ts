import type { z } from "zod";
import { listInWords } from "../words.ts";
import type { keyAuthSchema } from "./schema.ts";

/** "key in the x-api-key header or a Bearer token". */
export function summarizeKeyAuth(config: z.output<typeof keyAuthSchema.config>): string {
  const places = [`the ${config.header} header`];
  if (config.acceptBearer) places.push("a Bearer token");
  if (config.queryParam) places.push(`the ${config.queryParam} query parameter`);
  return `key in ${listInWords(places, "or")}`;
}
