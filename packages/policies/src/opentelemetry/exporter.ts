import type { PolicyMetric, PolicyServices } from "../types.ts";
import { exportBody, type SpanRecord } from "./otlp-json.ts";

export const OTEL_SPANS_EXPORTED: PolicyMetric = {
  name: "gatehouse_otel_spans_exported_total",
  help: "Spans of each opentelemetry policy the collector accepted.",
};

export const OTEL_SPANS_DROPPED: PolicyMetric = {
  name: "gatehouse_otel_spans_dropped_total",
  help: "Spans of each opentelemetry policy thrown away: queue_full (the newest are dropped), failed (the export failed, timed out or was refused).",
};

export interface ExporterSettings {
  url: string;
  headers: Record<string, string>;
  resource: string;
  batchSize: number;
  flushIntervalMs: number;
  maxQueueSpans: number;
  timeoutMs: number;
}

const LOG_EVERY_MS = 60_000;

/**
 * One policy's spans on this thread, kept across reloads: a bounded queue sent in batches,
 * one export in flight at a time, each abandoned after its timeout. Nothing a request does
 * waits on it; when the queue is full the newest spans are dropped, so a dead collector costs
 * a counter increment per span. A timer runs only while spans wait.
 */
export class SpanExporter {
  settings: ExporterSettings;
  readonly #policyId: string;
  readonly #services: Pick<PolicyServices, "metrics" | "log">;
  #queue: SpanRecord[] = [];
  #sending = false;
  #timer: NodeJS.Timeout | null = null;
  #loggedAt = Number.NEGATIVE_INFINITY;

  constructor(policyId: string, settings: ExporterSettings, services: Pick<PolicyServices, "metrics" | "log">) {
    this.#policyId = policyId;
    this.settings = settings;
    this.#services = services;
  }

  add(spans: readonly SpanRecord[]): void {
    const { maxQueueSpans, batchSize } = this.settings;
    for (const span of spans) {
      if (this.#queue.length >= maxQueueSpans) this.#dropped("queue_full", 1);
      else this.#queue.push(span);
    }
    if (this.#queue.length >= batchSize) this.#send();
    else this.#schedule();
  }

  close(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    this.#queue = [];
  }

  #schedule(): void {
    if (this.#timer !== null || this.#sending || this.#queue.length === 0) return;
    this.#timer = setTimeout(flushNow, this.settings.flushIntervalMs, this);
    // Spans waiting never keep a stopping process alive.
    this.#timer.unref();
  }

  flushNow(): void {
    this.#timer = null;
    this.#send();
  }

  #send(): void {
    if (this.#sending || this.#queue.length === 0) return;
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    const { url, headers, resource, batchSize, timeoutMs } = this.settings;
    const batch = this.#queue.splice(0, batchSize);
    this.#sending = true;
    fetch(url, {
      method: "POST",
      headers: { ...headers, "content-type": "application/json" },
      body: exportBody(resource, batch),
      signal: AbortSignal.timeout(timeoutMs),
    })
      .then(async (res) => {
        // Read to the end, so the connection goes back to the pool.
        await res.arrayBuffer();
        if (!res.ok) throw new Error(`the collector answered ${res.status}`);
        this.#count(OTEL_SPANS_EXPORTED, "ok", batch.length);
      })
      .catch((error: Error) => this.#dropped("failed", batch.length, error))
      .finally(() => {
        this.#sending = false;
        if (this.#queue.length >= this.settings.batchSize) this.#send();
        else this.#schedule();
      });
  }

  #count(metric: PolicyMetric, outcome: string, n: number): void {
    const metrics = this.#services.metrics;
    if (metrics === undefined) return;
    for (let i = 0; i < n; i++) metrics.count(metric, this.#policyId, outcome);
  }

  /** Counted each time; logged at most once a minute, never once per span. */
  #dropped(outcome: "queue_full" | "failed", n: number, error?: Error): void {
    this.#count(OTEL_SPANS_DROPPED, outcome, n);
    const now = Date.now();
    if (now - this.#loggedAt < LOG_EVERY_MS) return;
    this.#loggedAt = now;
    const why = error === undefined ? "the queue is full" : `${error.name}: ${error.message}`;
    this.#services.log(`opentelemetry ${this.#policyId}: spans dropped (${why}); counted in /metrics from now on`);
  }
}

function flushNow(exporter: SpanExporter): void {
  exporter.flushNow();
}
