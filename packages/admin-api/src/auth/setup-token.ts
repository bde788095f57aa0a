import { randomBytes } from "node:crypto";
import { admins, type ConfigDb, settings } from "@gatehouse/db";
import { count, eq } from "drizzle-orm";
import { readSetting, safeEqual, sha256, writeSetting } from "./secrets.ts";

const KEY = "setup_token_sha256";

export function adminCount(db: Pick<ConfigDb, "select">): number {
  return db.select({ n: count() }).from(admins).get()?.n ?? 0;
}

/**
 * While no admin exists, makes a fresh one-time setup token (only its hash is kept) and returns it
 * for the console to print; once an admin exists, returns null.
 */
export function issueSetupToken(db: ConfigDb): string | null {
  if (adminCount(db) > 0) return null;
  const token = randomBytes(24).toString("base64url");
  writeSetting(db, KEY, sha256(token).toString("hex"));
  return token;
}

export function setupTokenMatches(db: Pick<ConfigDb, "select">, token: string): boolean {
  const stored = readSetting(db, KEY);
  return stored !== undefined && safeEqual(sha256(token).toString("hex"), stored);
}

export function consumeSetupToken(db: Pick<ConfigDb, "delete">): void {
  db.delete(settings).where(eq(settings.key, KEY)).run();
}
