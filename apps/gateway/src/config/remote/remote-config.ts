import { mkdirSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { applyRoutePatch, type ConfigSnapshot, type NodeConfigChange } from "@gatehouse/db";
import type { DurableCounters, PolicyMetrics } from "@gatehouse/policies";
import { type SseEvent, sseEvents } from "@gatehouse/shared";
import type { Response } from "undici";
import type { HealthRegistry } from "../../health/registry.ts";
import { KeyIndex } from "../../policies/key-index.ts";
import type { PoolRegistry } from "../../proxy/pools.ts";
import type { RuntimeConfig } from "../compile.ts";
import type { ConfigSource, ControlPlaneStatus, LiveRevision } from "../config-source.ts";
import { LiveConfig } from "../live-config.ts";
import { Acks } from "./acks.ts";
import { CacheSaver } from "./cache-saver.ts";
import { CACHE_KEYS_PAGE, cachePath, readConfigCache, writeConfigCache } from "./config-cache.ts";
import { ConfigEvents, ProtocolError, parsedPages, type WholeConfig } from "./config-events.ts";
import type { ControlPlane } from "./control-plane.ts";

export interface RemoteConfigOptions {
  /** Where the last good config is kept. */
  dataDir: string;
  console: ControlPlane;
  pools: PoolRegistry;
  health: HealthRegistry;
  counters?: DurableCounters;
  /** Where policies count what they did, when they run on this thread. */
  metrics?: PolicyMetrics;
  log?: (line: string) => void;
  /** Told of each revision once it is live here. */
  onLive?: (live: LiveRevision) => void;
  /**
   * Proxy workers serve the revisions: the console is told one when every worker serves it,
   * through `served`, not when it is live on this thread.
   */
  workers?: boolean;
}

/** The wait before opening the stream again after it failed, doubled each time up to the most. */
const FIRST_RETRY_MS = 200;
const MOST_RETRY_MS = 5_000;
/** A refused token is asked about again this often: an operator may be fixing it. */
const REFUSED_RETRY_MS = 10_000;

/**
 * A data-plane node's config, followed from the console: a whole snapshot when the stream
 * opens (unless the revision it already has can be brought up to date with changes), then
 * each change as it is saved, compiled through the same `LiveConfig` as config.db's. Every
 * revision that goes live is acknowledged and kept on disk, so a node that starts while the
 * console is away serves its last good config; a refused token keeps the node serving what it has.
 */
export class RemoteConfig implements ConfigSource {
  waiting: string | null;

  readonly #options: RemoteConfigOptions;
  readonly #log: (line: string) => void;
  readonly #keys = new KeyIndex();
  /** The revision every proxy worker serves, with `workers`. */
  #workersServe: number | null = null;
  readonly #live: LiveConfig;
  readonly #stop = new AbortController();
  readonly #acks: Acks;
  readonly #saver: CacheSaver;
  /** The rows of the newest revision received, compiled or not: what the next change patches. */
  #rows: ConfigSnapshot | null = null;
  /** The rows the live config was compiled from, at the revision served: what the cache keeps. */
  #served: ConfigSnapshot | null = null;
  #source: ControlPlaneStatus["source"] = null;
  #link: ControlPlaneStatus["controlPlane"] = "unreachable";
  #retryMs = FIRST_RETRY_MS;
  /** Why the stream is down, logged once per episode; null while it is open. */
  #failing: string | null = null;
  #following: Promise<void> | null = null;
  #stopped: Promise<void> | null = null;

  constructor(options: RemoteConfigOptions) {
    this.#options = options;
    this.#log = options.log ?? ((line) => console.log(line));
    this.waiting = `waiting for the console at ${options.console.url}`;
    this.#live = new LiveConfig({
      pools: options.pools,
      health: options.health,
      keys: this.#keys,
      counters: options.counters,
      metrics: options.metrics,
      log: this.#log,
    });
    this.#acks = new Acks(options.console, this.#stop.signal);
    this.#saver = new CacheSaver(() => this.#save(), this.#log);
  }

  get current(): RuntimeConfig | null {
    return this.#live.current;
  }

  get error(): string | null {
    return this.#live.error;
  }

  get keys(): KeyIndex {
    return this.#keys;
  }

  get controlPlane(): ControlPlaneStatus {
    return { source: this.#source, controlPlane: this.#link };
  }

  start(): void {
    mkdirSync(this.#options.dataDir, { recursive: true });
    this.#following = this.#follow();
  }

  stop(): Promise<void> {
    this.#stopped ??= this.#shutdown();
    return this.#stopped;
  }

  async #shutdown(): Promise<void> {
    this.#stop.abort();
    await this.#following;
    await this.#options.console.close();
    await this.#saver.flush();
    this.#live.close();
  }

  /** Serves the cache, then keeps a stream to the console open until stopped. */
  async #follow(): Promise<void> {
    await this.#loadCache();
    const { signal } = this.#stop;
    while (!signal.aborted) {
      const waitMs = await this.#stream(signal);
      await sleep(waitMs, undefined, { signal }).catch(() => {});
    }
  }

  async #loadCache(): Promise<void> {
    const file = cachePath(this.#options.dataDir);
    const read = await readConfigCache(this.#options.dataDir, this.#options.console.url);
    if (read === null) return;
    if ("refused" in read) {
      this.#log(`config: not serving the cache ${file}: ${read.refused}`);
      return;
    }
    try {
      this.#whole(read.cached, "cache", ` from the cache ${file} saved at ${read.cached.savedAt}`);
    } catch (error) {
      this.#log(`config: not serving the cache ${file}: ${(error as Error).message}`);
    }
  }

  /** One stream, read until it ends or fails; how long to wait before the next. */
  async #stream(signal: AbortSignal): Promise<number> {
    const from = this.#rows?.revision ?? null;
    let response: Response;
    try {
      response = await this.#options.console.config(from, signal);
    } catch (error) {
      return signal.aborted ? 0 : this.#unreachable(reason(error));
    }
    if (response.status === 401 || response.status === 403) {
      await response.body?.cancel();
      return this.#refused(response.status);
    }
    if (response.status !== 200 || response.body === null) {
      await response.body?.cancel();
      return this.#unreachable(`HTTP ${response.status}`);
    }
    this.#connected(from);
    const events = new ConfigEvents();
    try {
      // undici's web stream is the global one under another type name.
      for await (const event of sseEvents(response.body as ReadableStream<Uint8Array>)) this.#receive(events, event);
    } catch (error) {
      if (signal.aborted) return 0;
      if (!(error instanceof ProtocolError)) return this.#unreachable(`stream failed: ${reason(error)}`);
      this.#unreachable(`it sent what this node cannot use: ${error.message}`);
      // Not asked again at once: it would send the same.
      return MOST_RETRY_MS;
    }
    return this.#unreachable("the console closed the stream");
  }

  #connected(from: number | null): void {
    this.#link = "connected";
    this.#retryMs = FIRST_RETRY_MS;
    this.#failing = null;
    if (this.#live.current === null)
      this.waiting = `receiving the config from the console at ${this.#options.console.url}`;
    // The console takes the node's revision as its base: what it serves is the console's from now.
    if (this.#source === "cache") this.#source = "control-plane";
    this.#log(
      `config: following the console at ${this.#options.console.url} ${from === null ? "from a whole snapshot" : `from revision ${from}`}`,
    );
    const served = this.#options.workers ? this.#workersServe : this.#live.current?.revision;
    if (served !== undefined && served !== null) this.#acks.send(served);
  }

  #unreachable(why: string): number {
    this.#link = "unreachable";
    const wait = this.#retryMs;
    this.#retryMs = Math.min(MOST_RETRY_MS, this.#retryMs * 2);
    this.#episode(`console at ${this.#options.console.url} unreachable (${why})`);
    return wait;
  }

  #refused(status: number): number {
    this.#link = "refused";
    this.#episode(`node token refused by the console at ${this.#options.console.url} (HTTP ${status})`);
    return REFUSED_RETRY_MS;
  }

  /** Logs why the stream is down, once until the reason changes or the stream opens again. */
  #episode(why: string): void {
    if (this.#live.current === null) this.waiting = why;
    if (why === this.#failing) return;
    this.#failing = why;
    const served = this.#live.current?.revision;
    const keeping =
      served === undefined
        ? "nothing to serve yet"
        : `keeping revision ${served}${this.#source === "cache" ? " from the cache" : ""}`;
    this.#log(`config: ${why}: ${keeping}; retrying`);
  }

  /** Takes one event of the stream; whatever fails in it is the console's to answer for. */
  #receive(events: ConfigEvents, event: SseEvent): void {
    try {
      const step = events.take(event);
      if (step === null) return;
      if ("whole" in step) this.#whole(step.whole, "control-plane", "");
      else this.#change(step.change);
    } catch (error) {
      throw error instanceof ProtocolError ? error : new ProtocolError((error as Error).message);
    }
  }

  /** A whole config: every key loaded into new buffers, then the rows compiled. */
  #whole(whole: WholeConfig, source: "control-plane" | "cache", from: string): void {
    this.#keys.replaceAll(whole.keys, parsedPages(whole.pages));
    this.#rows = whole.snapshot;
    this.#apply(whole.snapshot, source, from);
  }

  #change(change: NodeConfigChange): void {
    const rows = this.#rows;
    if (rows === null) throw new Error(`a change to revision ${change.revision} before any snapshot`);
    if (change.revision <= rows.revision) return;
    if (change.keys !== undefined) this.#keys.update(change.keys);
    const routes = applyRoutePatch(rows.routes, change.routes ?? null);
    this.#rows = { ...rows, ...change.tables, routes, revision: change.revision };
    const keysOnly = change.tables === undefined && routes === rows.routes;
    if (keysOnly && this.#served !== null && this.#live.error === null) {
      this.#advance(change.revision, change.keys?.length ?? 0);
    } else {
      this.#apply(this.#rows, "control-plane", "");
    }
  }

  #apply(snapshot: ConfigSnapshot, source: "control-plane" | "cache", from: string): void {
    const served = this.#live.current?.revision;
    if (!this.#live.apply(snapshot)) {
      this.#log(
        `config: not applied${from}, ${this.#live.error}${served !== undefined ? `; still serving revision ${served}` : ""}`,
      );
      return;
    }
    const routesChanged = snapshot.routes !== this.#served?.routes;
    this.#served = snapshot;
    this.#source = source;
    this.waiting = null;
    const next = this.#live.current as RuntimeConfig;
    this.#log(
      `config: revision ${next.revision} live${from} (${next.apiCount} apis, ${next.routeCount} routes, ${next.policies.chains.size} policies, ${this.#keys.size} keys)`,
    );
    this.#options.onLive?.({ revision: next.revision, snapshot, routesChanged });
    if (source === "control-plane") this.#keep(next.revision);
  }

  /** Only keys changed: the compiled config stays, under the new revision number. */
  #advance(revision: number, keysChanged: number): void {
    this.#live.advance(revision);
    this.#served = { ...(this.#served as ConfigSnapshot), revision };
    this.#source = "control-plane";
    this.#log(`config: revision ${revision} live (${keysChanged} key(s) changed, ${this.#keys.size} keys)`);
    this.#options.onLive?.({ revision, snapshot: null, routesChanged: false });
    this.#keep(revision);
  }

  /** Every proxy worker serves `revision` now: what the console is told the node serves. */
  served(revision: number): void {
    this.#workersServe = revision;
    this.#acks.send(revision);
  }

  /** A revision from the console is live: the console is told (here, or by `served`), and the cache written soon. */
  #keep(revision: number): void {
    if (!this.#options.workers) this.#acks.send(revision);
    this.#saver.changed();
  }

  /**
   * The live revision's rows, and every key as the index holds it while the write goes on: a
   * key may be newer than that revision, and the changes the node is sent after it from the
   * cache bring it again, which changes nothing.
   */
  #save(): Promise<void> {
    const served = this.#served as ConfigSnapshot;
    return writeConfigCache(
      this.#options.dataDir,
      this.#options.console.url,
      served,
      this.#keys.totals(),
      this.#keys.pages(CACHE_KEYS_PAGE),
    );
  }
}

function reason(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message;
}
