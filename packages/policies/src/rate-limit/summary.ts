import type { z } from "zod";
import { count, listInWords, storeInWords } from "../words.ts";
import type { rateLimitSchema } from "./schema.ts";

type Config = z.output<typeof rateLimitSchema.config>;

const PER: Record<Config["by"], (config: Config) => string> = {
  consumer: () => "per consumer",
  key: () => "per key",
  ip: () => "per client IP",
  api: () => "for the whole API",
  route: () => "for the whole route",
  header: (config) => `per value of the ${config.header} header`,
};

/** "60 per minute per consumer, in memory". */
export function summarizeRateLimit(config: Config): string {
  const windows = (["second", "minute", "hour", "day"] as const).flatMap((window) => {
    const limit = config.limits[window];
    return limit === undefined ? [] : [`${count(limit)} per ${window}`];
  });
  return `${listInWords(windows)} ${PER[config.by](config)}, ${storeInWords(config)}`;
}
