/**
 * 32-bit FNV-1a over UTF-16 code units, finished with murmur3's fmix32 so that keys differing
 * in one character (`t1#7`, `t1#8`) land far apart on the ring. Fast, not cryptographic:
 * a client choosing keys can at worst pick its own target, which it could anyway.
 */
export function hash32(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
