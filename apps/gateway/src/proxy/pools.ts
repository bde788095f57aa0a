import { Pool } from "undici";
import type { CompiledPoolTls } from "../upstream-tls/compile-pool-tls.ts";

export interface PoolSettings {
  /** `http://host:port`, no path. */
  origin: string;
  connectTimeoutMs: number;
  readTimeoutMs: number;
  /** Used only when the origin is https://. */
  tls: CompiledPoolTls;
}

/** Connections per target; past this, requests queue in the pool. */
const MAX_CONNECTIONS = 128;
/** Below Node's default 5 s server keep-alive, so we close idle sockets before the upstream does. */
const KEEP_ALIVE_MS = 4_000;

export function poolKey(settings: PoolSettings): string {
  return `${settings.origin}|${settings.connectTimeoutMs}|${settings.readTimeoutMs}|${settings.tls.digest}`;
}

/**
 * The undici pools of all targets, keyed by origin and timeouts, so a reload that leaves a
 * target unchanged keeps its warm connections. Pools no config uses any more are closed
 * gracefully: requests already dispatched on them finish.
 */
export class PoolRegistry {
  readonly #pools = new Map<string, Pool>();

  acquire(settings: PoolSettings): Pool {
    const key = poolKey(settings);
    let pool = this.#pools.get(key);
    if (!pool) {
      pool = new Pool(settings.origin, {
        connections: MAX_CONNECTIONS,
        keepAliveTimeout: KEEP_ALIVE_MS,
        connectTimeout: settings.connectTimeoutMs,
        headersTimeout: settings.readTimeoutMs,
        bodyTimeout: settings.readTimeoutMs,
        allowH2: false,
        ...(settings.origin.startsWith("https:") ? { connect: settings.tls.options } : {}),
      });
      this.#pools.set(key, pool);
    }
    return pool;
  }

  get size(): number {
    return this.#pools.size;
  }

  /** Closes every pool whose key is not in `keep`. */
  async retain(keep: ReadonlySet<string>): Promise<void> {
    const closing: Promise<void>[] = [];
    for (const [key, pool] of this.#pools) {
      if (keep.has(key)) continue;
      this.#pools.delete(key);
      closing.push(pool.close());
    }
    await Promise.allSettled(closing);
  }

  async close(): Promise<void> {
    await this.retain(new Set());
  }
}
