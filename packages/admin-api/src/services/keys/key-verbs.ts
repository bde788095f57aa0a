import { type ApiKeyRow, apiKeys, apis, type ConfigDb } from "@gatehouse/db";
import { generateApiKey } from "@gatehouse/policies/api-key";
import {
  type ApiKey,
  type ApiKeyIssued,
  apiKeyCreateSchema,
  apiKeyRotateSchema,
  conflict,
  type FieldError,
  GatehouseError,
  newId,
  notFound,
} from "@gatehouse/shared";
import { and, asc, eq, inArray } from "drizzle-orm";
import { recordChange } from "../audit.ts";
import { getConsumer } from "../consumers/consumer-verbs.ts";
import { now, parseInput, type ServiceContext, type Tx } from "../context.ts";
import type { KeyUsageReader } from "./key-usage.ts";

type Reader = Pick<ConfigDb, "select">;

/** The row as clients see it: never the hash, and a status worked out at read time. */
function toApiKey(row: ApiKeyRow, at = Date.now(), lastUsedAt: string | null = null): ApiKey {
  const { hash: _hash, ...visible } = row;
  const status =
    row.revokedAt !== null
      ? "revoked"
      : row.expiresAt !== null && Date.parse(row.expiresAt) <= at
        ? "expired"
        : "active";
  return { ...visible, status, lastUsedAt };
}

function keyRow(db: Reader, consumerId: string, keyId: string): ApiKeyRow {
  const row = db
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.id, keyId), eq(apiKeys.consumerId, consumerId)))
    .get();
  if (!row) throw notFound("API key", keyId);
  return row;
}

export function listKeys(db: Reader, consumerId: string, usage?: KeyUsageReader): ApiKey[] {
  getConsumer(db, consumerId);
  const rows = db
    .select()
    .from(apiKeys)
    .where(eq(apiKeys.consumerId, consumerId))
    .orderBy(asc(apiKeys.createdAt), asc(apiKeys.id))
    .all();
  const at = Date.now();
  const used = usage?.lastUsed(rows.map((row) => row.id));
  return rows.map((row) => toApiKey(row, at, used?.get(row.id) ?? null));
}

export function getKey(db: Reader, consumerId: string, keyId: string, usage?: KeyUsageReader): ApiKey {
  const row = keyRow(db, consumerId, keyId);
  return toApiKey(row, Date.now(), usage?.lastUsed([row.id]).get(row.id) ?? null);
}

function assertApisExist(tx: Reader, apiIds: string[]) {
  if (apiIds.length === 0) return;
  const found = new Set(
    tx
      .select({ id: apis.id })
      .from(apis)
      .where(inArray(apis.id, apiIds))
      .all()
      .map((row) => row.id),
  );
  const fields: FieldError[] = apiIds.flatMap((id, i) =>
    found.has(id) ? [] : [{ path: `apiIds.${i}`, message: `No API ${id}` }],
  );
  if (fields.length > 0) throw new GatehouseError("validation_failed", "The key names APIs that do not exist", fields);
}

function insertKey(
  tx: Tx,
  consumerId: string,
  values: Omit<ApiKeyRow, "id" | "consumerId" | "hash" | "prefix" | "revokedAt" | "createdAt">,
) {
  const { key, hash, prefix } = generateApiKey();
  const id = newId("apiKey");
  tx.insert(apiKeys)
    .values({ ...values, id, consumerId, hash, prefix })
    .run();
  return { key, row: keyRow(tx, consumerId, id) };
}

/** The only place the key exists in full: this answer. Only its SHA-256 and prefix are stored. */
export function issueKey(ctx: ServiceContext, consumerId: string, input: unknown): ApiKeyIssued {
  const values = parseInput(apiKeyCreateSchema, input);
  return ctx.db.transaction((tx) => {
    getConsumer(tx, consumerId);
    assertApisExist(tx, values.apiIds);
    const { key, row } = insertKey(tx, consumerId, values);
    const issued = toApiKey(row);
    recordChange(tx, ctx, { action: "create", entityType: "api_key", entityId: row.id, before: null, after: issued });
    return { ...issued, key };
  });
}

export function revokeKey(ctx: ServiceContext, consumerId: string, keyId: string): ApiKey {
  return ctx.db.transaction((tx) => {
    const row = keyRow(tx, consumerId, keyId);
    if (row.revokedAt !== null) return toApiKey(row);
    tx.update(apiKeys).set({ revokedAt: now() }).where(eq(apiKeys.id, keyId)).run();
    const before = toApiKey(row);
    const after = toApiKey(keyRow(tx, consumerId, keyId));
    recordChange(tx, ctx, { action: "update", entityType: "api_key", entityId: keyId, before, after });
    return after;
  });
}

/** A new key with the old one's settings; the old one keeps working until the grace period ends. */
export function rotateKey(ctx: ServiceContext, consumerId: string, keyId: string, input: unknown) {
  const { gracePeriodSeconds } = parseInput(apiKeyRotateSchema, input);
  return ctx.db.transaction((tx) => {
    const old = keyRow(tx, consumerId, keyId);
    const before = toApiKey(old);
    if (before.status !== "active") throw conflict(`The key is ${before.status}; issue a new key instead`);
    const { hash: _hash, id: _id, consumerId: _c, prefix: _p, revokedAt: _r, createdAt: _at, ...settings } = old;
    const { key, row } = insertKey(tx, consumerId, settings);
    const graceEnds = new Date(Date.now() + gracePeriodSeconds * 1000).toISOString();
    const expiresAt = old.expiresAt !== null && old.expiresAt < graceEnds ? old.expiresAt : graceEnds;
    tx.update(apiKeys).set({ expiresAt }).where(eq(apiKeys.id, keyId)).run();
    const previous = toApiKey(keyRow(tx, consumerId, keyId));
    const issued = toApiKey(row);
    recordChange(tx, ctx, { action: "update", entityType: "api_key", entityId: keyId, before, after: previous });
    recordChange(tx, ctx, { action: "create", entityType: "api_key", entityId: row.id, before: null, after: issued });
    return { issued: { ...issued, key }, previous };
  });
}
