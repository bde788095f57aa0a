import {
  type ChangeSummary,
  type ConfigDb,
  changesSince,
  currentRevision,
  keyRowPages,
  keyTotals,
  NODE_EVENTS,
  NODE_KEYS_PAGE,
  type NodeConfigChange,
  type NodeSnapshotEnd,
  type NodeSnapshotStart,
  readAll,
  readConfigTables,
  readKeyRows,
  readRoutePatch,
  routes,
} from "@gatehouse/db";
import type { NodeIdentity, NodeRegistry } from "./node-registry.ts";
import { tokenStillValid } from "./node-tokens.ts";

export interface ConfigStreamsOptions {
  /** How often the revision is checked while a node is connected. */
  pollMs?: number;
  /** How often a quiet stream sends a comment, so proxies and load balancers keep it open. */
  keepAliveMs?: number;
}

interface NodeStream {
  node: NodeIdentity;
  tokenId: string;
  /** The revision the stream has sent the node up to. */
  revision: number;
  send(chunk: Uint8Array): void;
  close(): void;
}

/** What one or more streams are sent: its chunks, encoded once and enqueued to each stream as they are. */
interface Message {
  revision: number;
  chunks: Uint8Array[];
}

const encoder = new TextEncoder();
/** How long a whole config read for one node is kept for others that connect. */
const SNAPSHOT_KEPT_MS = 10_000;
/** Chunks a stream may hold unread: a whole snapshot of a million keys is about a hundred. */
const MAX_UNREAD_CHUNKS = 1000;
const event = (name: string, data: string) => `event: ${name}\ndata: ${data}\n\n`;

/**
 * The console's side of the config stream to data-plane nodes. A node gets the whole config
 * once (or only the changes since the revision it already has), then what each revision
 * changed: the small tables whole, the changed routes, the changed keys. One key revoked among
 * a million sends that key's row, not the million others. The revision is checked every
 * `pollMs` while any node is connected, so a change made by any writer of config.db (this
 * process, a CLI, a restore) is sent; nodes at the same revision share one serialised message.
 */
export class ConfigStreams {
  readonly #db: ConfigDb;
  readonly #registry: NodeRegistry;
  readonly #pollMs: number;
  readonly #keepAliveMs: number;
  readonly #streams = new Set<NodeStream>();
  #timer: NodeJS.Timeout | null = null;
  #revision = -1;
  #lastSent = 0;
  /** The last whole config read, shared by the nodes that ask for one at its revision. */
  #lastSnapshot: Message | null = null;
  /** A check is due right after the current turn (`changed`). */
  #soon = false;
  /** Why the last check failed, logged once until one succeeds. */
  #failing: string | null = null;

  constructor(db: ConfigDb, registry: NodeRegistry, options: ConfigStreamsOptions = {}) {
    this.#db = db;
    this.#registry = registry;
    this.#pollMs = options.pollMs ?? 20;
    this.#keepAliveMs = options.keepAliveMs ?? 15_000;
  }

  /** A text/event-stream of the node's config, starting after `since` when the audit log can tell what changed since. */
  open(node: NodeIdentity, tokenId: string, since: number | null): Response {
    let stream: NodeStream | null = null;
    const body = new ReadableStream<Uint8Array>({
      start: (controller) => {
        const opened: NodeStream = {
          node,
          tokenId,
          revision: -1,
          send: (chunk) => {
            try {
              controller.enqueue(chunk);
            } catch {
              // The node went away and its stream closed before `cancel` told us.
              this.#forget(opened);
              return;
            }
            // A node that stopped reading (a host gone without closing its connection) would
            // hold every change in this process's memory: it is let go, and asks again from
            // its revision when it comes back.
            if ((controller.desiredSize ?? 0) < -MAX_UNREAD_CHUNKS) opened.close();
          },
          close: () => {
            this.#forget(opened);
            try {
              controller.close();
            } catch {
              // Already closed by the node going away.
            }
          },
        };
        stream = opened;
        this.#streams.add(opened);
        this.#registry.connected(node, tokenId);
        // The check starts from the revision read before the catch-up, never one after it: a
        // change another process saves in between is then still sent.
        this.#ensureTimer();
        this.#catchUp(opened, since);
      },
      cancel: () => {
        if (stream !== null) this.#forget(stream);
      },
    });
    return new Response(body, {
      headers: {
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-store",
        "x-accel-buffering": "no",
      },
    });
  }

  /** A change was just saved in this process: send it once the answer is on its way, not at the next check. */
  changed(): void {
    if (this.#timer === null || this.#soon) return;
    this.#soon = true;
    setImmediate(() => {
      this.#soon = false;
      if (this.#timer !== null) this.#tick();
    });
  }

  /** Ends every stream (the console is stopping). */
  close(): void {
    for (const stream of [...this.#streams]) stream.close();
  }

  #forget(stream: NodeStream): void {
    if (!this.#streams.delete(stream)) return;
    try {
      this.#registry.disconnected(stream.node, stream.tokenId);
    } catch {
      // config.db closed (the console stopping) or busy: the node's row keeps its last-seen time.
    }
    if (this.#streams.size === 0 && this.#timer !== null) {
      clearInterval(this.#timer);
      this.#timer = null;
    }
  }

  #ensureTimer(): void {
    if (this.#timer !== null) return;
    this.#revision = currentRevision(this.#db);
    this.#lastSent = Date.now();
    this.#timer = setInterval(() => this.#tick(), this.#pollMs);
    this.#timer.unref();
  }

  /** A failed check (config.db locked, or closed under the streams) must not take the console down with it. */
  #tick(): void {
    try {
      this.#check();
    } catch (error) {
      if (!this.#db.$client.open) {
        this.close();
        return;
      }
      const reason = (error as Error).message;
      if (reason !== this.#failing) console.error(`node config streams: cannot read config.db (${reason}); retrying`);
      this.#failing = reason;
      return;
    }
    this.#failing = null;
  }

  #check(): void {
    const revision = currentRevision(this.#db);
    if (revision === this.#revision) {
      if (Date.now() - this.#lastSent >= this.#keepAliveMs) this.#broadcast(": keep-alive\n\n");
      return;
    }
    const byRevision = new Map<number, NodeStream[]>();
    for (const stream of this.#streams) {
      // A revoked token's streams end: the node keeps what it has and is refused when it reconnects.
      if (!tokenStillValid(this.#db, stream.tokenId)) {
        stream.close();
        continue;
      }
      if (stream.revision >= revision) continue;
      const group = byRevision.get(stream.revision) ?? [];
      group.push(stream);
      byRevision.set(stream.revision, group);
    }
    for (const [from, group] of byRevision) {
      const message = this.#read(() => this.#since(from));
      for (const stream of group) {
        for (const chunk of message.chunks) stream.send(chunk);
        stream.revision = message.revision;
      }
    }
    // Only once every stream was sent its change: a check that failed half way is made again.
    this.#revision = revision;
    this.#lastSent = Date.now();
  }

  #broadcast(text: string): void {
    const chunk = encoder.encode(text);
    for (const stream of this.#streams) stream.send(chunk);
    this.#lastSent = Date.now();
  }

  #catchUp(stream: NodeStream, since: number | null): void {
    const message = this.#read(() => (since === null ? this.#snapshot() : this.#since(since)));
    for (const chunk of message.chunks) stream.send(chunk);
    stream.revision = message.revision;
  }

  /** Reads in one read transaction, so the rows agree with the revision they are sent under. */
  #read(read: () => Message): Message {
    return this.#db.$client.transaction(read).deferred();
  }

  /** What changed after `from`, or the whole config when the audit log cannot tell key by key. */
  #since(from: number): Message {
    const revision = currentRevision(this.#db);
    if (from < 0 || from > revision) return this.#snapshot();
    const changes = changesSince(this.#db, from, revision);
    if (!changes.complete || changes.reloadKeys) return this.#snapshot();
    return {
      revision,
      chunks: [encoder.encode(event(NODE_EVENTS.change, JSON.stringify(this.#change(revision, changes))))],
    };
  }

  #change(revision: number, changes: ChangeSummary): NodeConfigChange {
    const sqlite = this.#db.$client;
    const change: NodeConfigChange = { revision };
    if (changes.configChanged) change.tables = readConfigTables(sqlite);
    const routePatch = readRoutePatch(sqlite, changes);
    if (routePatch !== null) change.routes = routePatch;
    if (changes.keyIds.length > 0) change.keys = readKeyRows(sqlite, [...new Set(changes.keyIds)]);
    return change;
  }

  /**
   * The whole config at the current revision. Kept for a few seconds: nodes starting together
   * (a fleet rolled out at once) share one read and one copy of a million keys.
   */
  #snapshot(): Message {
    const sqlite = this.#db.$client;
    const revision = currentRevision(this.#db);
    if (this.#lastSnapshot?.revision === revision) return this.#lastSnapshot;
    const start: NodeSnapshotStart = {
      revision,
      tables: readConfigTables(sqlite),
      routes: readAll(sqlite, routes),
      keys: keyTotals(sqlite),
    };
    const chunks = [encoder.encode(event(NODE_EVENTS.snapshot, JSON.stringify(start)))];
    for (const page of keyRowPages(sqlite, NODE_KEYS_PAGE)) {
      chunks.push(encoder.encode(event(NODE_EVENTS.keys, JSON.stringify(page))));
    }
    const end: NodeSnapshotEnd = { revision };
    chunks.push(encoder.encode(event(NODE_EVENTS.snapshotEnd, JSON.stringify(end))));
    const message = { revision, chunks };
    this.#lastSnapshot = message;
    setTimeout(() => {
      if (this.#lastSnapshot === message) this.#lastSnapshot = null;
    }, SNAPSHOT_KEPT_MS).unref();
    return message;
  }
}
