import { sqliteTable, text } from "drizzle-orm/sqlite-core";
import { createdAt, updatedAt } from "./columns.ts";

/**
 * TLS certificates the gateway serves, chosen by SNI. The private key is stored sealed
 * (AES-256-GCM, see secrets-key.ts) with a key kept outside config.db; the chain is public.
 */
export const certificates = sqliteTable("certificates", {
  id: text("id").primaryKey(),
  /** Server names this certificate answers for: exact names and `*.example.com` wildcards. */
  snis: text("snis", { mode: "json" }).$type<string[]>().notNull(),
  /** The PEM chain, leaf first. */
  cert: text("cert").notNull(),
  /** The PEM private key, sealed: never read back by the Admin API. */
  sealedKey: text("sealed_key").notNull(),
  notBefore: text("not_before").notNull(),
  notAfter: text("not_after").notNull(),
  issuer: text("issuer").notNull(),
  subject: text("subject").notNull(),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export type CertificateRow = typeof certificates.$inferSelect;
