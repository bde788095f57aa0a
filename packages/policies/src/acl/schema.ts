import { z } from "zod";
import type { PolicySchema } from "../types.ts";

/** The same rule consumers' groups are saved with, so a name here can match one there. */
export const groupList = z
  .array(
    z
      .string()
      .trim()
      .min(1)
      .max(50)
      .regex(/^[A-Za-z0-9:._-]+$/, "Groups are single words"),
  )
  .max(50)
  .default([]);

export const aclSchema = {
  type: "acl",
  title: "Access control (groups)",
  description: "Lets consumers through by their groups; needs an auth policy to know the consumer.",
  phase: "acl",
  scopes: ["global", "api", "route"],
  config: z
    .strictObject({
      allow: groupList.meta({
        title: "Allow groups",
        description: "Only consumers in one of these groups may call. Set this or deny, not both.",
      }),
      deny: groupList.meta({
        title: "Deny groups",
        description: "Consumers in any of these groups are refused. Set this or allow, not both.",
      }),
    })
    .superRefine((config, ctx) => {
      if (config.allow.length > 0 && config.deny.length > 0) {
        ctx.addIssue({ code: "custom", path: ["deny"], message: "Set allow or deny, not both" });
      } else if (config.allow.length === 0 && config.deny.length === 0) {
        ctx.addIssue({ code: "custom", path: ["allow"], message: "List the groups to allow or to deny" });
      }
    }),
} as const satisfies PolicySchema;
