import { z } from "zod";

/** PEM text is a few KB per certificate; a bundle of many CAs stays well under this. */
const PEM_MAX = 256 * 1024;

const pem = (title: string, description: string) =>
  z.string().trim().min(1, "Paste PEM text").max(PEM_MAX, "At most 256 KB").optional().meta({ title, description });

/**
 * How the gateway reaches a pool's https:// targets. Verification is on unless `skipVerify`
 * says otherwise. Whether the PEM text parses and the key matches its certificate is checked
 * by the Admin API (it needs node:crypto, which this browser-safe package does not import).
 */
export const upstreamTlsSchema = z.strictObject({
  caBundle: pem(
    "CA bundle",
    "PEM certificates of the CAs that sign the targets' certificates; replaces the system roots for this pool",
  ),
  serverName: z
    .string()
    .trim()
    .toLowerCase()
    .max(253, "At most 253 characters")
    .regex(
      /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/,
      "A DNS name such as api.internal",
    )
    .optional()
    .meta({
      title: "Server name",
      description: "The SNI to send and the name the certificate must carry; by default the target's host",
    }),
  clientCertificate: pem("Client certificate", "PEM certificate (chain) the gateway shows targets that ask for one"),
  clientKey: pem("Client key", "PEM private key of the client certificate; write-only, never shown").meta({
    writeOnly: true,
  }),
  skipVerify: z.boolean().default(false).meta({
    title: "Skip verification (unsafe)",
    description:
      "Unsafe: accepts any certificate from the targets, so anyone on the path can read and change the traffic",
  }),
});
export type UpstreamTls = z.output<typeof upstreamTlsSchema>;

/** The TLS settings as the Admin API shows them: the client key left out. */
export const upstreamTlsShownSchema = upstreamTlsSchema.omit({ clientKey: true });
export type UpstreamTlsShown = z.output<typeof upstreamTlsShownSchema>;

export function shownTls({ clientKey: _key, ...shown }: UpstreamTls): UpstreamTlsShown {
  return shown;
}
