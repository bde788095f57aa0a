import { z } from "zod";
import { timestampSchema } from "./common.ts";

const MAX_PEM = 64 * 1024;

/** A server name a certificate answers for: a host name, or `*.` and a host name (one label). */
export const sniSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(
    /^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/,
    "Enter a host name such as api.example.com or *.example.com",
  );

const pemField = (title: string, description: string) =>
  z.string().min(1, "Paste the PEM text").max(MAX_PEM).meta({ title, description });

export const certificateCreateSchema = z.strictObject({
  cert: pemField("Certificate", "PEM chain, the server's certificate first"),
  key: pemField("Private key", "PEM private key of the certificate; stored encrypted and never shown again"),
  snis: z.array(sniSchema).min(1).max(100).optional().meta({
    title: "Server names",
    description: "Names this certificate is served for; by default the certificate's DNS names, else its CN",
  }),
});
export type CertificateCreate = z.infer<typeof certificateCreateSchema>;

/** A replacement: a new chain and key (a renewal); the names may change with it. */
export const certificatePatchSchema = certificateCreateSchema;

/** What the Admin API answers: the public part only. */
export const certificateSchema = z.object({
  id: z.string(),
  snis: z.array(z.string()),
  subject: z.string(),
  issuer: z.string(),
  notBefore: timestampSchema,
  notAfter: timestampSchema,
  createdAt: timestampSchema,
  updatedAt: timestampSchema,
});
export type Certificate = z.infer<typeof certificateSchema>;
