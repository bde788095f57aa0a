import { randomUUID } from "node:crypto";
import http from "node:http";
import https from "node:https";
import { setTimeout as sleep } from "node:timers/promises";
import { NODE_PATHS, type ShippedRows, type ShippedTable } from "@gatehouse/db/node-protocol";
import type { Statement } from "./analytics-writer.ts";
import { type PostOutcome, postJson } from "./post-json.ts";

/** The per-second tables: a dropped batch loses these rows only. */
const SECOND_TABLES: ReadonlySet<string> = new Set<ShippedTable>(["traffic_1s", "pool_traffic_1s"]);

/** Where a data-plane node sends its analytics, and how much it keeps while the console is away. */
export interface ShipOptions {
  /** The console's URL; batches go to `{url}/api/v1/node/traffic`. */
  url: string;
  /** The node token, sent as `Authorization: Bearer`. */
  token: string;
  /** NODE_HEADERS with this node's values. */
  headers: Record<string, string>;
  /** Batches kept unsent; past it the oldest go. One a second: 3,600 is an hour. */
  maxBatches?: number;
  /** The same bound in bytes of JSON, for nodes whose seconds hold thousands of rows. */
  maxBytes?: number;
  /** The first wait before sending again, doubled after each failure up to `max`. */
  retryMs?: { first: number; max: number };
}

interface Queued {
  seq: number;
  requests: number;
  /** The batch's rows as JSON, made once: its size counts against the bound, and a retry reuses it. */
  rows: string;
  bytes: number;
}

/** A console that takes longer is treated as away: the batch is sent again. */
const ANSWER_TIMEOUT_MS = 10_000;

/** An answer the console will give again to the same batch: sending it again cannot help. */
const isFinal = (status: number) => status >= 400 && status < 500 && ![401, 403, 408, 429].includes(status);

/**
 * Sends a data-plane node's analytics to the console, one `NodeTrafficBatch` per write the
 * node committed to its own analytics.db: strictly in order, one POST at a time, each sent
 * again (waiting longer each time) until the console answers 2xx, which it also answers to a
 * batch it had added already. While the console is away (or refuses the token) batches wait in
 * memory up to the bound; past it the oldest waiting one goes and its requests are counted in
 * `dropped`, which every later batch carries. The batch being sent is never dropped: the
 * console may be adding it.
 */
export class TrafficShipper {
  readonly #target: URL;
  readonly #headers: Record<string, string>;
  readonly #maxBatches: number;
  readonly #maxBytes: number;
  readonly #retry: { first: number; max: number };
  readonly #log: (line: string) => void;
  readonly #agent: http.Agent;
  /** Random per writer thread: the console adds a batch once by (node, run, seq). */
  readonly #run = randomUUID();
  #seq = 0;
  #queue: Queued[] = [];
  #bytes = 0;
  #dropped = 0;
  #sending: Promise<boolean> | null = null;
  #timer: NodeJS.Timeout | null = null;
  #wait: number;
  /** Why sends fail, since the last that did not; and whether the bound dropped a batch since then. */
  #failing: "away" | "refused" | null = null;
  #full = false;
  #stopped = false;

  constructor(options: ShipOptions, log: (line: string) => void) {
    this.#target = new URL(`${options.url.replace(/\/+$/, "")}${NODE_PATHS.traffic}`);
    this.#headers = { ...options.headers, authorization: `Bearer ${options.token}` };
    this.#maxBatches = options.maxBatches ?? 3600;
    this.#maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
    this.#retry = options.retryMs ?? { first: 250, max: 10_000 };
    this.#wait = this.#retry.first;
    this.#log = log;
    const Agent = this.#target.protocol === "https:" ? https.Agent : http.Agent;
    this.#agent = new Agent({ keepAlive: true, maxSockets: 1 });
  }

  /** Queues what a committed write's statements added to the shipped tables, and the requests it accounts for. */
  add(statements: Statement[], requests: number): void {
    const rows = shippedRows(statements);
    if (rows.length === 0 || this.#stopped) return;
    const json = JSON.stringify(rows);
    const queued = { seq: ++this.#seq, requests, rows: json, bytes: Buffer.byteLength(json) };
    this.#queue.push(queued);
    this.#bytes += queued.bytes;
    this.#bound();
    this.#next();
  }

  /**
   * Sends what is left once, in order, for at most `withinMs` (a stopping node does not wait
   * for a console that is away), then gives up on the rest.
   */
  async stop(withinMs = 2000): Promise<void> {
    this.#stopped = true;
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    const deadline = Date.now() + withinMs;
    const timeLeft = () => deadline - Date.now();
    const sending = this.#sending;
    if (sending !== null) await Promise.race([sending, sleep(timeLeft(), false, { ref: false })]);
    while (this.#queue.length > 0 && this.#sending === null && timeLeft() > 0) {
      if (!(await this.#sendFirst(timeLeft()))) break;
    }
    this.#agent.destroy();
    const requests = this.#queue.reduce((sum, queued) => sum + queued.requests, 0);
    if (this.#queue.length > 0) {
      this.#log(`analytics: ${this.#queue.length} traffic batches (${requests} requests) not sent to the console`);
    }
  }

  #next(): void {
    if (this.#stopped || this.#sending !== null || this.#timer !== null || this.#queue.length === 0) return;
    const sending = this.#sendFirst(ANSWER_TIMEOUT_MS);
    this.#sending = sending;
    void sending.then((sent) => {
      this.#sending = null;
      if (this.#stopped) return;
      if (sent) {
        this.#wait = this.#retry.first;
        this.#next();
        return;
      }
      this.#timer = setTimeout(() => {
        this.#timer = null;
        this.#next();
      }, this.#wait);
      this.#timer.unref();
      this.#wait = Math.min(this.#wait * 2, this.#retry.max);
    });
  }

  /** Posts the oldest batch; true when it is done with (added, or refused for good), false to send it again. */
  async #sendFirst(timeoutMs: number): Promise<boolean> {
    const queued = this.#queue[0] as Queued;
    // `dropped` as it is now, not as it was when the batch was made: the console keeps the last one it adds.
    const head = JSON.stringify({ run: this.#run, seq: queued.seq, requests: queued.requests, dropped: this.#dropped });
    const body = `${head.slice(0, -1)},"rows":${queued.rows}}`;
    const outcome = await postJson(this.#target, body, this.#headers, { agent: this.#agent, timeoutMs });
    const status = "status" in outcome ? outcome.status : 0;
    if (status >= 200 && status < 300) {
      this.#shift();
      if (this.#failing !== null) this.#log("analytics: traffic reaches the console again");
      this.#failing = null;
      this.#full = false;
      return true;
    }
    if (isFinal(status)) {
      this.#shift();
      this.#dropped += queued.requests;
      this.#log(
        `analytics: the console refused traffic batch ${queued.seq} (${status}); ${queued.requests} requests dropped`,
      );
      return true;
    }
    this.#failed(outcome);
    return false;
  }

  /** Logs once per kind of failure in a row: the console away, or refusing the node's token. */
  #failed(outcome: PostOutcome): void {
    const refused = "status" in outcome && (outcome.status === 401 || outcome.status === 403);
    const failing = refused ? "refused" : "away";
    // A stopping node says once what it could not send.
    if (this.#failing !== failing && !this.#stopped) {
      const why =
        "error" in outcome
          ? outcome.error
          : refused
            ? `the node token is refused, ${outcome.status}`
            : `answered ${outcome.status}`;
      this.#log(`analytics: cannot send traffic to the console (${why}); keeping up to ${this.#maxBatches} seconds`);
    }
    this.#failing = failing;
  }

  #shift(): void {
    const first = this.#queue.shift() as Queued;
    this.#bytes -= first.bytes;
  }

  /**
   * Past the bound the oldest batch that is not being sent goes, its requests counted in
   * `dropped`: its per-second rows are lost. The rest of it (the minute and hour rows a minute's
   * end put in it, status-code counts, key use) is added to the batch after it, since the
   * console adds rows up: dropping them would lose up to an hour of those tables for one second.
   */
  #bound(): void {
    const first = this.#sending === null ? 0 : 1;
    // The newest batch stays, whatever the bound: it is the one just added.
    while (this.#queue.length > first + 1 && (this.#queue.length > this.#maxBatches || this.#bytes > this.#maxBytes)) {
      const [oldest] = this.#queue.splice(first, 1) as [Queued];
      this.#bytes -= oldest.bytes;
      this.#dropped += oldest.requests;
      const kept = (JSON.parse(oldest.rows) as ShippedRows[]).filter((rows) => !SECOND_TABLES.has(rows.table));
      if (kept.length > 0) {
        const next = this.#queue[first] as Queued;
        next.rows = JSON.stringify([...kept, ...(JSON.parse(next.rows) as ShippedRows[])]);
        const bytes = Buffer.byteLength(next.rows);
        this.#bytes += bytes - next.bytes;
        next.bytes = bytes;
      }
      if (!this.#full) this.#log("analytics: the traffic buffer is full; the oldest seconds go, counted as dropped");
      this.#full = true;
    }
  }
}

/** The rows a committed write added to the shipped tables, by table; deletes and health events stay on the node. */
function shippedRows(statements: Statement[]): ShippedRows[] {
  const byTable = new Map<ShippedTable, ShippedRows["rows"]>();
  for (const { table, rows } of statements) {
    if (table === undefined || rows.length === 0) continue;
    const known = byTable.get(table);
    byTable.set(table, known === undefined ? (rows as ShippedRows["rows"]) : known.concat(rows as ShippedRows["rows"]));
  }
  return [...byTable].map(([table, rows]) => ({ table, rows }));
}
