import { z } from "zod";
import { bodyRules, headerRules, maxBodyBytes } from "../transform/rules-schema.ts";
import type { PolicySchema } from "../types.ts";

export const responseTransformerSchema = {
  type: "response-transformer",
  title: "Response transformer",
  description: "Rewrites the upstream's answer: its headers, and fields of a JSON body, with values from the request.",
  phase: "transform",
  scopes: ["global", "api", "route", "consumer"],
  config: z.strictObject({
    headers: headerRules(false).meta({
      title: "Headers",
      description: "add (when absent), set, remove, rename (from → to); values may use $(…) variables.",
    }),
    body: bodyRules(false).meta({
      title: "JSON body",
      description:
        "add, set, remove, rename on fields (data.owner.email) of a JSON answer; string values may use $(…) variables.",
    }),
    maxBodyBytes: maxBodyBytes("Larger answers stream untouched"),
  }),
} as const satisfies PolicySchema;
