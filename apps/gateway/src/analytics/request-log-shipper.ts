import http from "node:http";
import https from "node:https";
import { NODE_PATHS } from "@gatehouse/db/node-protocol";
import type { GatewayRequestLogQuery, RequestLogEntry } from "@gatehouse/shared";
import { type PostOutcome, postJson } from "./post-json.ts";
import type { ShipOptions } from "./traffic-shipper.ts";

export interface RequestLogShipOptions {
  /** The node's request log, every proxy worker's merged, newest first. */
  read: (filter: GatewayRequestLogQuery) => Promise<{ entries: RequestLogEntry[] }>;
  console: Pick<ShipOptions, "url" | "token" | "headers">;
  log: (line: string) => void;
  everyMs?: number;
}

/** Entries read, and sent at most, each time: as many as the console keeps of each node. */
const BATCH = 1000;
/** A console that takes longer is treated as away: the entries are not sent again. */
const ANSWER_TIMEOUT_MS = 5000;

/**
 * Sends a data-plane node's new request-log entries to the console once a second, so its
 * request log shows every node's requests. The log is a sample: what the console does not
 * take (away, refusing the token) is not kept, and the next batch starts after it. What was
 * sent is told by a watermark, the newest entry's time and the request ids at that
 * millisecond, so no entry goes twice.
 */
export class RequestLogShipper {
  readonly #read: RequestLogShipOptions["read"];
  readonly #target: URL;
  readonly #headers: Record<string, string>;
  readonly #log: (line: string) => void;
  readonly #everyMs: number;
  readonly #agent: http.Agent;
  #sentUntil = 0;
  #sentAt = new Set<string>();
  /** Why sends fail, since the last that did not. */
  #failing: "away" | "refused" | null = null;
  #timer: NodeJS.Timeout | null = null;
  #shipping: Promise<void> | null = null;
  #stopped = false;

  constructor(options: RequestLogShipOptions) {
    this.#read = options.read;
    this.#target = new URL(`${options.console.url.replace(/\/+$/, "")}${NODE_PATHS.requests}`);
    this.#headers = { ...options.console.headers, authorization: `Bearer ${options.console.token}` };
    this.#log = options.log;
    this.#everyMs = options.everyMs ?? 1000;
    const Agent = this.#target.protocol === "https:" ? https.Agent : http.Agent;
    this.#agent = new Agent({ keepAlive: true, maxSockets: 1 });
  }

  start(): void {
    if (this.#stopped || this.#timer !== null) return;
    this.#timer = setTimeout(() => {
      // A failure here must not become an unhandled rejection, which would end the node.
      this.#shipping = this.#ship()
        .catch((error: Error) => this.#log(`request log: cannot read or send entries (${error.message})`))
        .finally(() => {
          this.#shipping = null;
          this.#timer = null;
          this.start();
        });
    }, this.#everyMs);
    this.#timer.unref();
  }

  /** Stops sending; a POST on its way is cut off (destroying the agent ends its socket). */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#agent.destroy();
    await this.#shipping;
  }

  async #ship(): Promise<void> {
    const { entries } = await this.#read({ limit: BATCH });
    const fresh = entries.filter(
      (entry) => entry.time > this.#sentUntil || (entry.time === this.#sentUntil && !this.#sentAt.has(entry.requestId)),
    );
    if (fresh.length === 0 || this.#stopped) return;
    const newest = Math.max(...fresh.map((entry) => entry.time));
    if (newest > this.#sentUntil) {
      this.#sentUntil = newest;
      this.#sentAt = new Set();
    }
    for (const entry of fresh) if (entry.time === newest) this.#sentAt.add(entry.requestId);
    const body = JSON.stringify({ entries: fresh });
    this.#report(
      await postJson(this.#target, body, this.#headers, { agent: this.#agent, timeoutMs: ANSWER_TIMEOUT_MS }),
    );
  }

  /** Logs once per kind of failure in a row: the console away, or refusing the node's token. */
  #report(outcome: PostOutcome): void {
    const status = "status" in outcome ? outcome.status : 0;
    if (status >= 200 && status < 300) {
      if (this.#failing !== null) this.#log("request log: entries reach the console again");
      this.#failing = null;
      return;
    }
    const refused = status === 401 || status === 403;
    const failing = refused ? "refused" : "away";
    if (this.#failing !== failing && !this.#stopped) {
      const why =
        "error" in outcome ? outcome.error : refused ? `the node token is refused, ${status}` : `answered ${status}`;
      this.#log(`request log: cannot send entries to the console (${why}); they are not kept, later ones are sent`);
    }
    this.#failing = failing;
  }
}
