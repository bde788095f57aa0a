import type { z } from "zod";
import type { trafficSplitSchema } from "./schema.ts";

type Config = z.output<typeof trafficSplitSchema.config>;

const STICKY: Record<Config["stickyBy"], (config: Config) => string> = {
  none: () => "",
  consumer: () => ", sticky per consumer",
  header: (config) => `, sticky per ${config.stickyHeader} header`,
  ip: () => ", sticky per client IP",
};

/** "10% to checkout-v2, sticky per consumer" (the pool named when the caller knows it, else its id). */
export function summarizeTrafficSplit(config: Config): string {
  const { header, cookie, groups } = config.match;
  const always = header || cookie || groups.length > 0 ? ", matches always" : "";
  return `${config.percent}% to ${config.upstreamId}${STICKY[config.stickyBy](config)}${always}`;
}
