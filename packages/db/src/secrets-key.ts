import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { keptInDataDir } from "./data-dir-file.ts";

const KEY_BYTES = 32;
const IV_BYTES = 12;

/**
 * The key that seals secrets in config.db (certificate private keys). Kept out of config.db so a
 * copy of the database alone reveals nothing: `GATEHOUSE_SECRETS_KEY` (32 bytes, base64) when
 * set, else a random key in the data dir's `secrets.key`, readable by the owner only. A
 * data-plane node has no data dir in common with the console: it needs the console's value.
 */
export function secretsKey(dataDir: string, fromEnv = process.env.GATEHOUSE_SECRETS_KEY): Buffer {
  const text =
    fromEnv !== undefined && fromEnv !== ""
      ? fromEnv
      : keptInDataDir(dataDir, "secrets.key", () => randomBytes(KEY_BYTES).toString("base64"), 0o600);
  const key = Buffer.from(text, "base64");
  if (key.length !== KEY_BYTES) throw new Error(`GATEHOUSE_SECRETS_KEY must be ${KEY_BYTES} bytes in base64`);
  return key;
}

/** `iv.tag.ciphertext` in base64url: AES-256-GCM, so a changed row fails to open instead of giving garbage. */
export function seal(key: Buffer, plain: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return [iv, cipher.getAuthTag(), body].map((part) => part.toString("base64url")).join(".");
}

export function unseal(key: Buffer, sealed: string): string {
  const [iv, tag, body] = sealed.split(".").map((part) => Buffer.from(part, "base64url"));
  if (iv === undefined || tag === undefined || body === undefined) throw new Error("not a sealed value");
  const decipher = createDecipheriv("aes-256-gcm", key, iv);
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(body), decipher.final()]).toString("utf8");
}
