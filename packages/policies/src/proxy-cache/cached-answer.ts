/** An upstream answer as the cache keeps it. */
export interface CachedAnswer {
  status: number;
  /** Lower-case names, without hop-by-hop headers, Content-Length and Age. */
  headers: Record<string, string | string[]>;
  body: Buffer;
  /** Epoch ms the answer came. */
  storedAt: number;
  /** Epoch ms it stops being fresh. */
  expiresAt: number;
  /** The upstream's Age when it came, in seconds. */
  initialAge: number;
  /** The config revision of the handler that kept it: a purge recorded at a later one removes it. */
  revision: number;
  apiId: string;
  /** The client's path, which purges match by prefix. */
  path: string;
  /** The request header values the upstream's Vary named, as the request that filled it had them. */
  vary: Record<string, string>;
}

/** Where answers are kept: synchronous in memory, a promise from Redis. */
export interface CacheStore {
  get(key: string): CachedAnswer | undefined | Promise<CachedAnswer | undefined>;
  /** Keeps the answer for `keepMs`, past its freshness, so a later request can tell it expired. */
  set(key: string, answer: CachedAnswer, keepMs: number): void | Promise<void>;
}

/** Hop-by-hop headers (RFC 9110 §7.6.1) and the ones the gateway writes itself on each answer. */
const NOT_KEPT = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "proxy-authenticate",
  "proxy-authorization",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
  "content-length",
  "age",
  "x-request-id",
  "x-cache-status",
]);

/** The upstream's headers as kept, less hop-by-hop ones and any its Connection header names. */
export function keptHeaders(headers: Readonly<Record<string, string | string[]>>): Record<string, string | string[]> {
  const named = headers.connection;
  const listed = new Set(
    (Array.isArray(named) ? named.join(",") : (named ?? ""))
      .split(",")
      .map((name) => name.trim().toLowerCase())
      .filter((name) => name !== ""),
  );
  const kept: Record<string, string | string[]> = {};
  for (const name in headers) {
    if (!NOT_KEPT.has(name) && !listed.has(name)) kept[name] = headers[name] as string | string[];
  }
  return kept;
}
