import type { ServerOptions } from "node:http";

/** What one client may send and hold; each has a GATEHOUSE_* variable in env.ts. */
export interface EdgeLimits {
  /** Request line plus headers, in bytes; over it Node's parser stops and the client gets 431. */
  maxHeaderBytes: number;
  /** Request body, in bytes (0 = no limit); over it the client gets 413. */
  maxBodyBytes: number;
  /** Request target, in bytes; over it the client gets 414. */
  maxUrlBytes: number;
  /** Time to receive the request line and headers; a slow client gets 408. */
  headersTimeoutMs: number;
  /** Time to receive the whole request, body included (0 = no limit); a slow client gets 408. */
  requestTimeoutMs: number;
  /** Open client connections; past it new connections are closed without a response. */
  maxConnections: number;
  /** How long SIGTERM waits for in-flight requests before closing their connections. */
  drainTimeoutMs: number;
}

export const DEFAULT_LIMITS: EdgeLimits = {
  maxHeaderBytes: 16 * 1024,
  // Large enough for real uploads (the 100 MB streaming case), small enough to stop a runaway body.
  maxBodyBytes: 128 * 1024 * 1024,
  maxUrlBytes: 8 * 1024,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 300_000,
  maxConnections: 10_000,
  drainTimeoutMs: 10_000,
};

/** Node server options for the proxy port. */
export function serverOptions(limits: EdgeLimits): ServerOptions {
  return {
    maxHeaderSize: limits.maxHeaderBytes,
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    // Node checks both timeouts on this interval (30 s by default): a slowloris is cut within a second of its limit.
    connectionsCheckingInterval: Math.min(1_000, Math.max(100, limits.headersTimeoutMs / 2)),
    keepAliveTimeout: 5_000,
    // The handler answers a missing Host with the JSON envelope instead of Node's bare 400.
    requireHostHeader: false,
    // Repeated headers reach routing as one joined value, as they reach the upstream: no first-one-wins view.
    joinDuplicateHeaders: true,
  };
}
