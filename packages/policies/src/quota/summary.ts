import type { z } from "zod";
import { count, listInWords, storeInWords } from "../words.ts";
import type { quotaSchema } from "./schema.ts";

type Config = z.output<typeof quotaSchema.config>;

const PER: Record<Config["by"], string> = { consumer: "per consumer", key: "per key", ip: "per client IP" };

/** "10,000 per day and 200,000 per month per consumer, in memory". */
export function summarizeQuota(config: Config): string {
  const periods = (["day", "month"] as const).flatMap((period) => {
    const limit = config.quota[period];
    return limit === undefined ? [] : [`${count(limit)} per ${period}`];
  });
  return periods.length > 0
    ? `${listInWords(periods)} ${PER[config.by]}, ${storeInWords(config)}`
    : `no cap of its own, counted ${PER[config.by]}, ${storeInWords(config)}`;
}
