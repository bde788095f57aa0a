/** How the shared secret is written: text is its own UTF-8 bytes; base64 carries a binary key (a JWK's `k`). */
export const SECRET_ENCODINGS = ["text", "base64"] as const;
export type SecretEncoding = (typeof SECRET_ENCODINGS)[number];

/** RFC 7518 3.2: an HS key at least as long as the hash; 32 bytes for HS256. */
export const MIN_SECRET_BYTES = 32;

/** Standard or URL-safe alphabet, padded or not; no whitespace, so one key has one spelling. */
const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;

/** The key bytes, or null when base64 text does not decode. Browser-safe: the console form checks with it too. */
export function secretBytes(secret: string, encoding: SecretEncoding): Uint8Array | null {
  if (encoding === "text") return new TextEncoder().encode(secret);
  const unpadded = secret.replace(/=+$/, "");
  const padded = unpadded.length !== secret.length;
  if (!BASE64.test(secret) || unpadded.length % 4 === 1 || (padded && secret.length % 4 !== 0)) return null;
  const standard = unpadded.replace(/-/g, "+").replace(/_/g, "/");
  return Uint8Array.from(atob(standard + "=".repeat((4 - (standard.length % 4)) % 4)), (c) => c.charCodeAt(0));
}
