import { existsSync, mkdirSync } from "node:fs";
import {
  type ConfigDb,
  type ConfigSnapshot,
  changesSince,
  configDbPath,
  currentRevision,
  GATEWAY_TABLE_NAMES,
  openConfigDb,
  type RouteRow,
  readSnapshot,
} from "@gatehouse/db";
import type { DurableCounters, PolicyMetrics } from "@gatehouse/policies";
import type { HealthRegistry } from "../health/registry.ts";
import { KeyIndex } from "../policies/key-index.ts";
import type { PoolRegistry } from "../proxy/pools.ts";
import type { RuntimeConfig } from "./compile.ts";
import type { ConfigSource, LiveRevision } from "./config-source.ts";
import { type FileEvents, watchConfigFiles } from "./file-events.ts";
import { LiveConfig } from "./live-config.ts";

export interface ConfigWatcherOptions {
  dataDir: string;
  /** How often config.db is checked while its files are changing, and always where file events are unavailable. */
  pollMs: number;
  /** How often it is checked while file events report nothing: the safety net for an event that never came. */
  idlePollMs: number;
  pools: PoolRegistry;
  health: HealthRegistry;
  /** Quota counts that outlive restarts; in memory only when not given (tests). */
  counters?: DurableCounters;
  /** Where policies count what they did, when they run on this thread. */
  metrics?: PolicyMetrics;
  log?: (line: string) => void;
  /** Told of each revision once it is live here. */
  onLive?: (live: LiveRevision) => void;
}

/**
 * How long checks stay at `pollMs` after a file event. A commit's last file write (the WAL
 * frame) comes before SQLite updates the WAL index, which is shared memory and raises no event,
 * so the check an event triggers can still see the old data version; the ones after it see the new.
 */
const ACTIVE_MS = 1000;

export const DEFAULT_CONFIG_IDLE_POLL_MS = 1000;

/**
 * Follows config.db read-only. Each check costs one `PRAGMA data_version`; only when another
 * connection committed does it read the revision, and only a new revision is loaded and
 * compiled. Checks run every `pollMs` for a second after config.db's files change, and every
 * `idlePollMs` otherwise: an idle gateway that checked every 10 ms spent about 2% of a core
 * waking up to do it. The live RuntimeConfig is replaced by one assignment; a config that fails
 * to compile is reported and the previous one keeps serving. The file is opened without a busy
 * timeout: a writer that locks it (rollback-journal mode) makes a check fail at once instead of
 * blocking the event loop, and the next check tries again.
 */
export class ConfigWatcher implements ConfigSource {
  /** Why there is nothing to load yet (no file, no schema). */
  waiting: string | null;

  readonly #options: ConfigWatcherOptions;
  readonly #log: (line: string) => void;
  #db: ConfigDb | null = null;
  readonly #keys = new KeyIndex();
  readonly #live: LiveConfig;
  /** The revision the key index and `#routes` reflect; -1 asks for a full load. */
  #keysRevision = -1;
  /** The route rows last read, patched with the changed ones on the next read. */
  #routes: RouteRow[] | null = null;
  #dataVersion: (() => unknown) | null = null;
  #lastDataVersion: unknown = null;
  #attemptedRevision = -1;
  #timer: NodeJS.Timeout | null = null;
  /** When the pending check is due (performance.now()). */
  #due = 0;
  #events: FileEvents | null = null;
  /** Checks run every `pollMs` until then (performance.now()). */
  #activeUntil = 0;
  #stopped = false;
  #lastLogged = "";
  /** The reason polls are failing, logged once per episode; null while they succeed. */
  #failing: string | null = null;

  constructor(options: ConfigWatcherOptions) {
    this.#options = options;
    this.#log = options.log ?? ((line) => console.log(line));
    this.waiting = `waiting for ${configDbPath(options.dataDir)}`;
    this.#live = new LiveConfig({
      pools: options.pools,
      health: options.health,
      keys: this.#keys,
      counters: options.counters,
      metrics: options.metrics,
      log: this.#log,
    });
  }

  /** The config new requests use; read once per request. */
  get current(): RuntimeConfig | null {
    return this.#live.current;
  }

  /** Why the last load or compile failed, if it did. */
  get error(): string | null {
    return this.#live.error;
  }

  /** Every API key, kept at the live revision. */
  get keys(): KeyIndex {
    return this.#keys;
  }

  start(): void {
    // The gateway writes analytics.db there too; the directory must exist to be watched.
    mkdirSync(this.#options.dataDir, { recursive: true });
    this.#events = watchConfigFiles(
      this.#options.dataDir,
      () => this.#wake(),
      (error) => {
        this.#events = null;
        this.#log(`config: file events stopped (${error.message}); checking every ${this.#options.pollMs} ms`);
      },
    );
    if (this.#events === null) this.#log(`config: no file events here; checking every ${this.#options.pollMs} ms`);
    this.#tick();
  }

  readonly #tick = (): void => {
    this.#timer = null;
    this.poll();
    const active = this.#events === null || performance.now() < this.#activeUntil;
    this.#schedule(active ? this.#options.pollMs : this.#options.idlePollMs);
  };

  #schedule(ms: number): void {
    if (this.#stopped) return;
    this.#due = performance.now() + ms;
    this.#timer = setTimeout(this.#tick, ms);
    this.#timer.unref();
  }

  /** A config file changed: check now, then every `pollMs` for a while. */
  #wake(): void {
    this.#activeUntil = performance.now() + ACTIVE_MS;
    if (this.#timer === null || this.#due <= performance.now() + this.#options.pollMs) return;
    clearTimeout(this.#timer);
    this.#schedule(0);
  }

  /** One step of the watch loop; public so tests can drive it without timers. */
  poll(): void {
    try {
      this.#follow();
    } catch (error) {
      // A broken or replaced file: start over on the next tick.
      this.#closeDb();
      const reason = `cannot read ${configDbPath(this.#options.dataDir)}: ${(error as Error).message}`;
      if (this.current === null) this.waiting = reason;
      if (reason === this.#failing) return;
      this.#failing = reason;
      this.#log(
        `config: ${reason}${this.current ? `; still serving revision ${this.current.revision}` : ""}, retrying`,
      );
      return;
    }
    if (this.#failing !== null) {
      this.#failing = null;
      this.#log(`config: ${configDbPath(this.#options.dataDir)} readable again`);
    }
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#events?.close();
    this.#events = null;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    this.#closeDb();
    this.#live.close();
  }

  #open(): ConfigDb | null {
    if (this.#db === null) {
      const file = configDbPath(this.#options.dataDir);
      if (!existsSync(file)) {
        this.waiting = `waiting for ${file} to be created`;
        return null;
      }
      this.#db = openConfigDb(this.#options.dataDir, { readonly: true, busyTimeoutMs: 0 });
    }
    if (this.#dataVersion === null) {
      const sqlite = this.#db.$client;
      const found = sqlite
        .prepare(
          `select count(*) from sqlite_master where type = 'table' and name in (${GATEWAY_TABLE_NAMES.map(() => "?").join(",")})`,
        )
        .pluck()
        .get(...GATEWAY_TABLE_NAMES) as number;
      if (found < GATEWAY_TABLE_NAMES.length) {
        this.waiting = "config.db has no schema yet (waiting for migrations)";
        return null;
      }
      const statement = sqlite.prepare("PRAGMA data_version").pluck();
      this.#dataVersion = () => statement.get();
    }
    return this.#db;
  }

  #follow(): void {
    const db = this.#open();
    if (db === null || this.#dataVersion === null) return;
    const version = this.#dataVersion();
    if (version === this.#lastDataVersion) return;
    this.#lastDataVersion = version;
    if (currentRevision(db) === this.#attemptedRevision) return;
    // A read that fails (locked) throws to poll() before the revision counts as attempted: it is read again.
    const { revision, snapshot, keysChanged, routesChanged } = db.$client.transaction(() => this.#read(db)).deferred();
    this.#attemptedRevision = revision;
    if (snapshot !== null) this.#apply(snapshot, routesChanged);
    else this.#advance(revision, keysChanged);
  }

  /**
   * Brings the key index up to `revision` (the changed keys only, when the audit log says
   * which) and reads the rest of the config unless only keys changed.
   */
  #read(db: ConfigDb): {
    revision: number;
    snapshot: ConfigSnapshot | null;
    keysChanged: number;
    routesChanged: boolean;
  } {
    const revision = currentRevision(db);
    const since = this.#keysRevision;
    const changes = since < 0 || since > revision ? null : changesSince(db, since, revision);
    if (changes === null || changes.reloadKeys) this.#keys.loadAll(db.$client);
    else this.#keys.refresh(db.$client, changes.keyIds);
    this.#keysRevision = revision;
    const keysOnly =
      changes !== null && !changes.configChanged && this.#live.current !== null && this.#live.error === null;
    const keysChanged = changes?.keyIds.length ?? 0;
    if (keysOnly) return { revision, snapshot: null, keysChanged, routesChanged: false };
    const snapshot = readSnapshot(db, changes && this.#routes ? { routes: this.#routes, changes } : undefined);
    const routesChanged = snapshot.routes !== this.#routes;
    this.#routes = snapshot.routes;
    return { revision, snapshot, keysChanged, routesChanged };
  }

  /** Only keys changed: the compiled config stays, under the new revision number. */
  #advance(revision: number, keysChanged: number): void {
    this.#live.advance(revision);
    this.#log(`config: revision ${revision} live (${keysChanged} key(s) changed, ${this.#keys.size} keys)`);
    this.#options.onLive?.({ revision, snapshot: null, routesChanged: false });
  }

  #apply(snapshot: ConfigSnapshot, routesChanged: boolean): void {
    const served = this.#live.current?.revision;
    if (!this.#live.apply(snapshot)) {
      this.#logOnce(
        `config: not applied, ${this.#live.error}${served !== undefined ? `; still serving revision ${served}` : ""}`,
      );
      return;
    }
    const next = this.#live.current as RuntimeConfig;
    this.waiting = null;
    this.#log(
      `config: revision ${next.revision} live (${next.apiCount} apis, ${next.routeCount} routes, ${next.policies.chains.size} policies, ${this.#keys.size} keys)`,
    );
    this.#options.onLive?.({ revision: next.revision, snapshot, routesChanged });
  }

  #closeDb(): void {
    // The file may have been replaced: its keys and routes are read afresh.
    this.#keysRevision = -1;
    this.#routes = null;
    this.#db?.$client.close();
    this.#db = null;
    this.#dataVersion = null;
    this.#lastDataVersion = null;
  }

  #logOnce(line: string): void {
    if (line === this.#lastLogged) return;
    this.#lastLogged = line;
    this.#log(line);
  }
}
