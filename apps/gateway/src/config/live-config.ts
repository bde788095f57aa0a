import type { ConfigSnapshot } from "@gatehouse/db";
import type { DurableCounters, PolicyMetrics, WindowTable } from "@gatehouse/policies";
import type { HealthRegistry } from "../health/registry.ts";
import type { KeyLookup } from "../policies/compile-policies.ts";
import { PolicyState } from "../policies/policy-state.ts";
import type { PoolRegistry } from "../proxy/pools.ts";
import { compileConfig, type RuntimeConfig } from "./compile.ts";

export interface LiveConfigOptions {
  pools: PoolRegistry;
  health: HealthRegistry;
  keys: KeyLookup;
  counters?: DurableCounters;
  /** The host's shared rate-limit counters; none: each policy counts in this thread's memory. */
  windows?: WindowTable;
  log: (line: string) => void;
  /** Where this thread's policies count what they did. */
  metrics?: PolicyMetrics;
}

/**
 * The config one thread serves: a snapshot compiled and swapped in by one assignment, so a
 * request reads one revision from start to end. The host's watcher and every proxy worker
 * keep one each; a snapshot that fails to compile leaves the previous one serving.
 */
export class LiveConfig {
  /** The config new requests use; read once per request. */
  current: RuntimeConfig | null = null;
  /** Why the last compile failed, if it did. */
  error: string | null = null;

  readonly #options: LiveConfigOptions;
  readonly #policyState = new PolicyState();

  constructor(options: LiveConfigOptions) {
    this.#options = options;
  }

  /** Compiles and serves `snapshot`; on failure records why and returns false. */
  apply(snapshot: ConfigSnapshot): boolean {
    let next: RuntimeConfig;
    try {
      next = compileConfig(snapshot, this.#options.pools, this.#options.health, {
        policyState: this.#policyState,
        keys: this.#options.keys,
        counters: this.#options.counters,
        windows: this.#options.windows,
        log: this.#options.log,
        metrics: this.#options.metrics,
        previous: this.current,
      });
    } catch (error) {
      this.error = `revision ${snapshot.revision}: ${(error as Error).message}`;
      return false;
    }
    const previous = this.current;
    this.current = next;
    previous?.policies.chains.close();
    this.#policyState.retain(next.policies.ids);
    this.error = null;
    this.#options.health.apply(next.upstreams);
    void this.#options.pools.retain(next.poolKeys);
    return true;
  }

  /** Only keys changed: the compiled config stays, under the new revision number. */
  advance(revision: number): void {
    const current = this.current;
    if (current === null) return;
    this.current = { ...current, revision, loadedAt: new Date().toISOString() };
  }

  close(): void {
    this.current?.policies.chains.close();
    this.#policyState.close();
  }
}
