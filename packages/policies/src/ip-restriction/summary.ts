import type { z } from "zod";
import { someOf } from "../words.ts";
import type { ipRestrictionSchema } from "./schema.ts";

/** "only 10.0.0.0/8; never 10.0.0.7". */
export function summarizeIpRestriction(config: z.output<typeof ipRestrictionSchema.config>): string {
  const parts = [];
  if (config.allow.length > 0) parts.push(`only ${someOf(config.allow)}`);
  if (config.deny.length > 0) parts.push(`never ${someOf(config.deny)}`);
  if (config.trustedProxies.length > 0) parts.push(`behind ${someOf(config.trustedProxies)}`);
  return parts.join("; ");
}
