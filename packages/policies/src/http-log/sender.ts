import type { z } from "zod";
import { LOG_ENTRIES_DROPPED } from "../access-log/dropped.ts";
import type { PolicyServices } from "../types.ts";
import type { httpLogSchema } from "./schema.ts";

type HttpLogConfig = z.output<typeof httpLogSchema.config>;

const LOG_EVERY_MS = 60_000;

/**
 * One http-log policy's entries on this thread: a bounded buffer of JSON lines, sent one batch
 * at a time (so a dead sink holds one request, not one per batch) and retried with backoff.
 * Requests only push a line; past the limit a line is dropped and counted, never waited for.
 */
export class HttpLogSender {
  readonly #config: HttpLogConfig;
  readonly #policyId: string;
  readonly #services: Pick<PolicyServices, "metrics" | "log">;
  readonly #lines: string[] = [];
  readonly #timer: NodeJS.Timeout;
  #sending = false;
  #closed = false;
  #loggedAt = Number.NEGATIVE_INFINITY;

  constructor(config: HttpLogConfig, policyId: string, services: Pick<PolicyServices, "metrics" | "log">) {
    this.#config = config;
    this.#policyId = policyId;
    this.#services = services;
    this.#timer = setInterval(() => this.#tick(), config.flushIntervalMs);
    this.#timer.unref();
  }

  push(line: string): void {
    if (this.#lines.length >= this.#config.bufferLimit) {
      this.#drop(1, "buffer_full", "the buffer is full");
      return;
    }
    this.#lines.push(line);
    // Once closed the timer may be gone: a late entry is sent at once.
    if (this.#closed || this.#lines.length >= this.#config.batchSize) this.#flush();
  }

  /**
   * The revision holding this policy is retired: requests it still serves may add entries, so
   * the sender stops once everything buffered is sent (or dropped).
   */
  close(): void {
    this.#closed = true;
    this.#tick();
  }

  #tick(): void {
    this.#flush();
    if (this.#closed && !this.#sending && this.#lines.length === 0) clearInterval(this.#timer);
  }

  #flush(): void {
    if (this.#sending || this.#lines.length === 0) return;
    this.#sending = true;
    const batch = this.#lines.splice(0, this.#config.batchSize);
    this.#send(batch, 0).finally(() => {
      this.#sending = false;
      if (this.#lines.length >= this.#config.batchSize || (this.#closed && this.#lines.length > 0)) this.#flush();
    });
  }

  async #send(batch: string[], attempt: number): Promise<void> {
    const { url, method, headers, timeoutMs, retries, retryBackoffMs } = this.#config;
    let failure: string;
    try {
      const response = await fetch(url, {
        method,
        headers: { ...headers, "content-type": "application/x-ndjson" },
        body: `${batch.join("\n")}\n`,
        signal: AbortSignal.timeout(timeoutMs),
      });
      await response.body?.cancel();
      if (response.ok) return;
      failure = `the sink answered ${response.status}`;
    } catch (error) {
      failure = (error as Error).message;
    }
    if (attempt >= retries) {
      this.#drop(batch.length, "failed", failure);
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, retryBackoffMs * 2 ** attempt).unref());
    return this.#send(batch, attempt + 1);
  }

  #drop(entries: number, outcome: "buffer_full" | "failed", why: string): void {
    for (let i = 0; i < entries; i++) this.#services.metrics?.count(LOG_ENTRIES_DROPPED, this.#policyId, outcome);
    const now = Date.now();
    if (now - this.#loggedAt < LOG_EVERY_MS) return;
    this.#loggedAt = now;
    this.#services.log(`http-log ${this.#policyId}: dropped ${entries} entries: ${why}`);
  }
}
