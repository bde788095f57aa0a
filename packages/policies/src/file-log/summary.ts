import type { z } from "zod";
import type { fileLogSchema } from "./schema.ts";

const MIB = 1024 * 1024;

/** "to /var/log/gatehouse/access.log, rotated at 100 MiB, 5 kept". */
export function summarizeFileLog(config: z.output<typeof fileLogSchema.config>): string {
  const size = config.maxBytes % MIB === 0 ? `${config.maxBytes / MIB} MiB` : `${config.maxBytes} bytes`;
  return `to ${config.path}, rotated at ${size}, ${config.maxFiles} kept`;
}
