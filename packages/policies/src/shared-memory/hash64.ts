/**
 * A 64-bit hash of a string, as two 32-bit halves written to `out` (no allocation per call).
 * Two murmur3-style lanes with different seeds, cross-mixed at the end as murmur3's 128-bit
 * variant does. Not cryptographic: the tables keyed by it store only the hash, never the
 * string, so two keys that collide share one count (the odds are in the tables' comments).
 * `seed` lets a caller hash a prefix once (a policy id) and seed every key after it.
 */
export function hash64(text: string, seedHi: number, seedLo: number, out: Uint32Array): void {
  let h1 = seedHi | 0;
  let h2 = seedLo | 0;
  const length = text.length;
  let i = 0;
  // Two UTF-16 code units make one 32-bit block.
  for (; i + 1 < length; i += 2) {
    const block = text.charCodeAt(i) | (text.charCodeAt(i + 1) << 16);
    h1 = lane(h1, block, 0xcc9e2d51, 0x1b873593, 0xe6546b64);
    h2 = lane(h2, block, 0x85ebca6b, 0xc2b2ae35, 0x561ccd1b);
  }
  if (i < length) {
    const block = text.charCodeAt(i);
    h1 = lane(h1, block, 0xcc9e2d51, 0x1b873593, 0xe6546b64);
    h2 = lane(h2, block, 0x85ebca6b, 0xc2b2ae35, 0x561ccd1b);
  }
  h1 ^= length;
  h2 ^= length;
  h1 = (h1 + h2) | 0;
  h2 = (h2 + h1) | 0;
  h1 = finalMix(h1);
  h2 = finalMix(h2);
  h1 = (h1 + h2) | 0;
  h2 = (h2 + h1) | 0;
  out[0] = h1;
  out[1] = h2;
}

function lane(h: number, block: number, c1: number, c2: number, add: number): number {
  let k = Math.imul(block, c1);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, c2);
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + add) | 0;
}

function finalMix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}
