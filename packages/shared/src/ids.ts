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
  plan: "pln",
  admin: "adm",
  session: "ses",
  request: "req",
  nodeToken: "ntk",
  node: "nod",
  certificate: "crt",
} as const;

export type IdKind = keyof typeof ID_PREFIXES;

// Request ids are made per request on the gateway's hot path. One getRandomValues call fills a
// pool that is turned into one string of symbols at once; an id is a slice of it. Appending its
// symbols one by one allocated a string per symbol (about 500 bytes an id; a slice of 20 or more
// characters is a view of the pool string, without a copy).
const POOL_SIZE = 4096;
const pool = new Uint8Array(POOL_SIZE);
let poolText = "";
let poolOffset = POOL_SIZE;

function refill(): void {
  crypto.getRandomValues(pool);
  // 58 symbols: the modulo bias over 256 is small and ids are not secrets.
  for (let i = 0; i < POOL_SIZE; i++) pool[i] = ALPHABET.charCodeAt((pool[i] as number) % ALPHABET.length);
  poolText = String.fromCharCode.apply(null, pool as unknown as number[]);
  poolOffset = 0;
}

function randomString(length: number): string {
  if (poolOffset + length > POOL_SIZE) refill();
  const out = poolText.slice(poolOffset, poolOffset + length);
  poolOffset += length;
  return out;
}

export function newId(kind: IdKind): string {
  return `${ID_PREFIXES[kind]}_${randomString(20)}`;
}
