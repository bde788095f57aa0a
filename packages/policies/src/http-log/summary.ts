import type { z } from "zod";
import type { httpLogSchema } from "./schema.ts";

/** "POST batches of 100 to https://logs.example.com/ingest". */
export function summarizeHttpLog(config: z.output<typeof httpLogSchema.config>): string {
  return `${config.method} batches of ${config.batchSize} to ${config.url}`;
}
