import type { z } from "zod";
import { type PolicyDefinition, reject } from "../types.ts";
import { aclSchema } from "./schema.ts";

type AclConfig = z.output<typeof aclSchema.config>;

/**
 * Runs in the acl phase, after auth: it needs key-auth or jwt before it to know the consumer.
 * Refusals name no group, so a caller learns nothing about who else may call.
 */
export const acl: PolicyDefinition<typeof aclSchema.config> = {
  ...aclSchema,
  create(config: AclConfig) {
    const allow = new Set(config.allow);
    const deny = new Set(config.deny);
    return {
      handle(ctx) {
        if (ctx.consumer === null) return reject("forbidden", "This API needs an authenticated consumer");
        const { groups } = ctx.consumer;
        const refused = allow.size > 0 ? !groups.some((group) => allow.has(group)) : groups.some((g) => deny.has(g));
        return refused ? reject("forbidden", "You may not call this API") : undefined;
      },
    };
  },
};
