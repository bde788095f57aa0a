import { hash, randomBytes } from "node:crypto";
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
  return hash("sha256", key, "hex");
}

/**
 * What the gateway keeps a key under in memory: its SHA-256 digest as 32 latin1 characters,
 * half the size of the hex config.db stores (tens of MB with a million keys).
 */
export function digestOfHash(hexHash: string): string {
  return Buffer.from(hexHash, "hex").toString("latin1");
}

/** Keys seen lately, well formed, with their digest: most requests carry a key seen a moment ago. */
const recentDigests = new Map<string, string>();
const RECENT_DIGESTS = 4096;

/**
 * The digest of a well-formed key (shape and checksum), or null for anything else: what the
 * gateway looks a presented key up by. Remembers the last few thousand keys, so a client's
 * key is checked and hashed once, not on every request; a key's state (revoked, expired) is
 * never cached here, only its digest, which cannot change.
 */
export function verifiedKeyDigest(text: string): string | null {
  const known = recentDigests.get(text);
  if (known !== undefined) return known;
  if (!isWellFormedApiKey(text)) return null;
  // Cleared rather than evicted one by one: a flood of fresh keys only costs the speed-up.
  if (recentDigests.size >= RECENT_DIGESTS) recentDigests.clear();
  // "binary" is latin1: one character per byte.
  const digest = hash("sha256", text, "binary");
  recentDigests.set(text, digest);
  return digest;
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
