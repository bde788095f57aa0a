import { z } from "zod";

export const emailSchema = z.email("Enter an email address").trim().toLowerCase().max(254).meta({ title: "Email" });

export const passwordSchema = z
  .string()
  .min(12, "Use at least 12 characters")
  .max(200, "Use at most 200 characters")
  .meta({ title: "Password", description: "At least 12 characters" });

export const setupInputSchema = z.strictObject({
  token: z.string().min(1, "The setup link's token is missing"),
  email: emailSchema,
  password: passwordSchema,
});
export type SetupInput = z.infer<typeof setupInputSchema>;

export const loginInputSchema = z.strictObject({
  email: emailSchema,
  password: z.string().min(1, "Enter your password").max(200),
});
export type LoginInput = z.infer<typeof loginInputSchema>;

export const adminSchema = z.object({ id: z.string(), email: z.string(), createdAt: z.string() });
export type Admin = z.infer<typeof adminSchema>;

export const authStatusSchema = z.object({
  setupRequired: z.boolean(),
  admin: adminSchema.nullable(),
});
export type AuthStatus = z.infer<typeof authStatusSchema>;
