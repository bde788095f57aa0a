import { z } from "zod";
import type { PolicySchema } from "../types.ts";
import { parseCidr } from "./ip.ts";

const cidrList = z
  .array(
    z
      .string()
      .trim()
      .max(100)
      .superRefine((entry, ctx) => {
        const cidr = parseCidr(entry);
        if (typeof cidr === "string") ctx.addIssue({ code: "custom", message: cidr });
      }),
  )
  .max(1000)
  .default([]);

export const ipRestrictionSchema = {
  type: "ip-restriction",
  title: "IP restriction",
  description: "Allows or refuses clients by IP address or range (CIDR); a denied address is refused even if allowed.",
  phase: "ip",
  // Not per consumer: the most specific policy of a kind wins, so a consumer's own allow list
  // would replace the API's and widen who may call it.
  scopes: ["global", "api", "route"],
  config: z
    .strictObject({
      allow: cidrList.meta({
        title: "Allow",
        description: "Addresses or CIDRs (10.0.0.0/8, 2001:db8::/32) that may call; empty allows any not denied.",
      }),
      deny: cidrList.meta({
        title: "Deny",
        description: "Addresses or CIDRs refused, even when also allowed.",
      }),
      trustedProxies: cidrList.meta({
        title: "Trusted proxies",
        description:
          "Load balancers in front of the gateway: only from these is X-Forwarded-For believed, its right-most address not in this list being the client.",
      }),
    })
    .superRefine((config, ctx) => {
      if (config.allow.length === 0 && config.deny.length === 0) {
        ctx.addIssue({ code: "custom", path: ["allow"], message: "List addresses to allow or to deny" });
      }
    }),
} as const satisfies PolicySchema;
