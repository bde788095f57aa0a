import type { z } from "zod";
import { someOf } from "../words.ts";
import type { aclSchema } from "./schema.ts";

/** "only groups partners and internal" or "not groups blocked". */
export function summarizeAcl(config: z.output<typeof aclSchema.config>): string {
  return config.allow.length > 0 ? `only groups ${someOf(config.allow)}` : `not groups ${someOf(config.deny)}`;
}
