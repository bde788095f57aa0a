import type { z } from "zod";
import { listInWords, storeInWords } from "../words.ts";
import type { proxyCacheSchema } from "./schema.ts";

/** "GET and HEAD for 300 s unless the upstream says otherwise, in memory". */
export function summarizeProxyCache(config: z.output<typeof proxyCacheSchema.config>): string {
  const who = config.perConsumer ? ", per consumer" : "";
  return `${listInWords(config.methods)} for ${config.ttlSeconds} s unless the upstream says otherwise${who}, ${storeInWords(config)}`;
}
