const ALPHABET = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

/** Every id prefix in one table, so an id says what it names (`api_…`, `key_…`). */
export const ID_PREFIXES = {
  api: "api",
  route: "rte",
  upstream: "ups",
  target: "tgt",
  consumer: "con",
  apiKey: "key",
  policy: "pol",
  admin: "adm",
  session: "ses",
  request: "req",
} as const;

export type IdKind = keyof typeof ID_PREFIXES;

export function randomString(length: number): string {
  const bytes = new Uint8Array(length);
  crypto.getRandomValues(bytes);
  let out = "";
  // 58 symbols: the modulo bias over 256 is small and ids are not secrets.
  for (const b of bytes) out += ALPHABET[b % ALPHABET.length];
  return out;
}

export function newId(kind: IdKind): string {
  return `${ID_PREFIXES[kind]}_${randomString(20)}`;
}
