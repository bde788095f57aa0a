import { type CertificateRow, type ConfigDb, certificates, seal } from "@gatehouse/db";
import {
  type Certificate,
  certificateCreateSchema,
  certificatePatchSchema,
  GatehouseError,
  newId,
  notFound,
  sniSchema,
} from "@gatehouse/shared";
import { asc, eq } from "drizzle-orm";
import { recordChange } from "../audit.ts";
import { now, parseInput, type ServiceContext } from "../context.ts";
import { readCertificate } from "./read-certificate.ts";

type Reader = Pick<ConfigDb, "select">;

/** The public part: the sealed key never leaves the database through the Admin API. */
function publicPart(row: CertificateRow): Certificate {
  const { sealedKey: _sealed, cert: _cert, ...rest } = row;
  return rest;
}

export function getCertificate(db: Reader, id: string): Certificate {
  const row = db.select().from(certificates).where(eq(certificates.id, id)).get();
  if (!row) throw notFound("Certificate", id);
  return publicPart(row);
}

/** Certificates are few (one per domain): one page, soonest expiry first. */
export function listCertificates(db: Reader): { data: Certificate[] } {
  return { data: db.select().from(certificates).orderBy(asc(certificates.notAfter)).all().map(publicPart) };
}

/** The row's values from a cert and key, checked; `snis` default to the certificate's own names. */
function rowValues(input: { cert: string; key: string; snis?: string[] | undefined }, secretsKey: Buffer) {
  const facts = readCertificate(input.cert, input.key);
  const snis = input.snis ?? facts.names.filter((name) => sniSchema.safeParse(name).success);
  if (snis.length === 0) {
    throw new GatehouseError("validation_failed", "The certificate names no host", [
      { path: "snis", message: "The certificate has no DNS name or CN to serve it for: give the names" },
    ]);
  }
  const { names: _names, ...kept } = facts;
  return { ...kept, snis: [...new Set(snis)], sealedKey: seal(secretsKey, input.key) };
}

export function createCertificate(ctx: ServiceContext, secretsKey: Buffer, input: unknown): Certificate {
  const values = rowValues(parseInput(certificateCreateSchema, input), secretsKey);
  return ctx.db.transaction((tx) => {
    const id = newId("certificate");
    tx.insert(certificates)
      .values({ ...values, id })
      .run();
    const created = getCertificate(tx, id);
    recordChange(tx, ctx, { action: "create", entityType: "certificate", entityId: id, before: null, after: created });
    return created;
  });
}

/** A renewal: the new chain and key are served on new handshakes once the gateway loads the revision. */
export function replaceCertificate(ctx: ServiceContext, secretsKey: Buffer, id: string, input: unknown): Certificate {
  const values = rowValues(parseInput(certificatePatchSchema, input), secretsKey);
  return ctx.db.transaction((tx) => {
    const before = getCertificate(tx, id);
    tx.update(certificates)
      .set({ ...values, updatedAt: now() })
      .where(eq(certificates.id, id))
      .run();
    const after = getCertificate(tx, id);
    recordChange(tx, ctx, { action: "update", entityType: "certificate", entityId: id, before, after });
    return after;
  });
}

export function deleteCertificate(ctx: ServiceContext, id: string): void {
  ctx.db.transaction((tx) => {
    const before = getCertificate(tx, id);
    tx.delete(certificates).where(eq(certificates.id, id)).run();
    recordChange(tx, ctx, { action: "delete", entityType: "certificate", entityId: id, before, after: null });
  });
}
