const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const SEGMENT = /^[A-Za-z0-9_-]*$/;

/**
 * RFC 7515's compact form, spelled one way only: three base64url segments without padding,
 * whose unused trailing bits are zero (RFC 4648 3.5). A lenient decoder would take a second
 * spelling of a signed token (Wycheproof's MacOfIncorrectlyEncodedMessage), and anything that
 * keys on the token's text, such as a cache or a revocation list, would see two tokens.
 */
export function isCanonicalCompact(token: string): boolean {
  const segments = token.split(".");
  return segments.length === 3 && segments.every(isCanonicalSegment);
}

function isCanonicalSegment(segment: string): boolean {
  if (!SEGMENT.test(segment)) return false;
  const tail = segment.length % 4;
  if (tail === 0) return true;
  if (tail === 1) return false;
  const unusedBits = tail === 2 ? 0b1111 : 0b11;
  return (ALPHABET.indexOf(segment.at(-1) as string) & unusedBits) === 0;
}
