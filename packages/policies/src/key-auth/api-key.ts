import { createHash, randomBytes } from "node:crypto";
import { crc32 } from "node:zlib";

/**
 * `ghk_` + 24 base62 characters of randomness (~142 bits) + 6 base62 characters of CRC32
 * over the rest, as GitHub's tokens do: a secret scanner or the gateway can tell a real key
 * from a typo without a database, and the prefix says whose key leaked.
 */
export const KEY_PREFIX = "ghk_";
const RANDOM_CHARS = 24;
const CHECKSUM_CHARS = 6;
export const KEY_LENGTH = KEY_PREFIX.length + RANDOM_CHARS + CHECKSUM_CHARS;
/** Shown in lists so a person can tell keys apart; 8 random characters reveal ~48 of 142 bits. */
const DISPLAY_CHARS = KEY_PREFIX.length + 8;

const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const KEY_PATTERN = new RegExp(`^${KEY_PREFIX}[0-9A-Za-z]{${RANDOM_CHARS + CHECKSUM_CHARS}}$`);

export interface NewApiKey {
  key: string;
  hash: string;
  prefix: string;
}

export function generateApiKey(): NewApiKey {
  let body = "";
  while (body.length < RANDOM_CHARS) {
    for (const byte of randomBytes(32)) {
      // 248 = 4 × 62: rejecting the rest keeps every character equally likely.
      if (byte < 248 && body.length < RANDOM_CHARS) body += ALPHABET[byte % 62];
    }
  }
  const key = KEY_PREFIX + body + checksum(KEY_PREFIX + body);
  return { key, hash: hashApiKey(key), prefix: key.slice(0, DISPLAY_CHARS) };
}

export function hashApiKey(key: string): string {
  return createHash("sha256").update(key).digest("hex");
}

/** True when the text has the shape of a Gatehouse key and its checksum agrees. */
export function isWellFormedApiKey(text: string): boolean {
  if (!KEY_PATTERN.test(text)) return false;
  const cut = text.length - CHECKSUM_CHARS;
  return checksum(text.slice(0, cut)) === text.slice(cut);
}

function checksum(text: string): string {
  let value = crc32(text);
  let out = "";
  for (let i = 0; i < CHECKSUM_CHARS; i++) {
    out = ALPHABET[value % 62] + out;
    value = Math.floor(value / 62);
  }
  return out;
}
