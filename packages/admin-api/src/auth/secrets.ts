import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { type ConfigDb, settings } from "@gatehouse/db";
import { eq } from "drizzle-orm";

export const sha256 = (value: string) => createHash("sha256").update(value).digest();

export function safeEqual(a: string, b: string): boolean {
  return timingSafeEqual(sha256(a), sha256(b));
}

export function readSetting(db: Pick<ConfigDb, "select">, key: string): string | undefined {
  return db.select().from(settings).where(eq(settings.key, key)).get()?.value;
}

export function writeSetting(db: Pick<ConfigDb, "insert">, key: string, value: string): void {
  db.insert(settings).values({ key, value }).onConflictDoUpdate({ target: settings.key, set: { value } }).run();
}

/** The session signing key: from the environment, else generated once and kept in config.db. */
export function sessionSecret(db: ConfigDb, fromEnv = process.env.GATEHOUSE_SESSION_SECRET): Uint8Array {
  if (fromEnv && fromEnv.length >= 32) return new TextEncoder().encode(fromEnv);
  const stored = readSetting(db, "session_secret");
  if (stored) return Buffer.from(stored, "base64url");
  const fresh = randomBytes(32).toString("base64url");
  db.insert(settings).values({ key: "session_secret", value: fresh }).onConflictDoNothing().run();
  return Buffer.from(readSetting(db, "session_secret") as string, "base64url");
}
