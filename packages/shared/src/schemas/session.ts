import { z } from "zod";
import { timestampSchema } from "./common.ts";

/** A signed-in browser session as its admin sees it; the token itself is never shown. */
export const sessionSchema = z.object({
  id: z.string(),
  createdAt: timestampSchema,
  expiresAt: timestampSchema,
  userAgent: z.string().nullable(),
  current: z.boolean().meta({ description: "The session making this request" }),
});
export type Session = z.infer<typeof sessionSchema>;
