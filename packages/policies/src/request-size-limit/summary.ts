import type { z } from "zod";
import { count } from "../words.ts";
import type { requestSizeLimitSchema } from "./schema.ts";

const UNITS = [
  [1024 * 1024 * 1024, "GiB"],
  [1024 * 1024, "MiB"],
  [1024, "KiB"],
] as const;

/** "bodies up to 1 MiB". */
export function summarizeRequestSizeLimit(config: z.output<typeof requestSizeLimitSchema.config>): string {
  const unit = UNITS.find(([size]) => config.maxBytes >= size && config.maxBytes % size === 0);
  return `bodies up to ${unit ? `${count(config.maxBytes / unit[0])} ${unit[1]}` : `${count(config.maxBytes)} bytes`}`;
}
