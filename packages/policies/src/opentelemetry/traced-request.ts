import {
  epochNow,
  type Phase,
  type PolicyContext,
  type RequestTrace,
  type ResponseHook,
  type UpstreamResponse,
} from "../types.ts";
import type { SpanExporter } from "./exporter.ts";
import { SPAN_KIND, type SpanRecord } from "./otlp-json.ts";
import { newSpanId } from "./trace-context.ts";

interface PhaseTime {
  phase: Phase;
  types: string[];
  start: number;
  end: number;
}

/**
 * One recorded request: the gateway tells it of each later policy step, the upstream call and
 * the end of the exchange (RequestTrace); the upstream's answer reaches it as a response hook.
 * At the end it hands the exporter a SERVER span, a span per policy phase that ran, and a
 * CLIENT span for the upstream call, whose id the upstream was sent as its parent.
 */
export class TracedRequest implements RequestTrace, ResponseHook {
  readonly #ctx: PolicyContext;
  readonly #exporter: SpanExporter;
  readonly #traceId: string;
  readonly #parentSpanId: string;
  readonly #traceState: string;
  readonly #start: number;
  readonly serverSpanId = newSpanId();
  readonly clientSpanId = newSpanId();
  readonly #phases: PhaseTime[] = [];
  #upstreamStart = 0;
  #upstreamEnd = 0;
  #upstreamStatus = 0;

  constructor(
    ctx: PolicyContext,
    exporter: SpanExporter,
    trace: { traceId: string; parentSpanId: string; traceState: string },
    start: number,
  ) {
    this.#ctx = ctx;
    this.#exporter = exporter;
    this.#traceId = trace.traceId;
    this.#parentSpanId = trace.parentSpanId;
    this.#traceState = trace.traceState;
    this.#start = start;
  }

  stepEnded(phase: Phase, type: string, start: number, end: number): void {
    const last = this.#phases.at(-1);
    if (last?.phase === phase) {
      last.types.push(type);
      last.end = end;
    } else {
      this.#phases.push({ phase, types: [type], start, end });
    }
  }

  upstreamStarted(at: number): void {
    if (this.#upstreamStart === 0) this.#upstreamStart = at;
  }

  onHeaders(response: UpstreamResponse): void {
    this.#upstreamStatus = response.status;
  }

  onEnd(): void {
    // After a failed attempt a retry may answer later: the last end counts.
    this.#upstreamEnd = epochNow();
  }

  finished(status: number, at: number): void {
    const ctx = this.#ctx;
    const server: Record<string, string | number> = {
      "http.request.method": ctx.method,
      "url.path": ctx.path,
      "client.address": ctx.remoteAddress,
      "gatehouse.api_id": ctx.apiId,
      "gatehouse.route_id": ctx.routeId,
      "gatehouse.request_id": ctx.requestId,
    };
    if (status !== 0) server["http.response.status_code"] = status;
    if (ctx.consumer !== null) server["gatehouse.consumer_id"] = ctx.consumer.id;
    const failed = status === 0 || status >= 500;
    const spans = [
      this.#span(this.serverSpanId, this.#parentSpanId, ctx.method, SPAN_KIND.server, this.#start, at, server, failed),
    ];
    for (const { phase, types, start, end } of this.#phases) {
      const attributes = { "gatehouse.policies": types.join(",") };
      spans.push(
        this.#span(
          newSpanId(),
          this.serverSpanId,
          `policies ${phase}`,
          SPAN_KIND.internal,
          start,
          end,
          attributes,
          false,
        ),
      );
    }
    if (this.#upstreamStart !== 0) {
      const upstreamStatus = this.#upstreamStatus;
      const client: Record<string, string | number> = { "http.request.method": ctx.method };
      if (upstreamStatus !== 0) client["http.response.status_code"] = upstreamStatus;
      const end = this.#upstreamEnd === 0 ? at : this.#upstreamEnd;
      const error = upstreamStatus === 0 || upstreamStatus >= 500;
      spans.push(
        this.#span(
          this.clientSpanId,
          this.serverSpanId,
          "upstream",
          SPAN_KIND.client,
          this.#upstreamStart,
          end,
          client,
          error,
        ),
      );
    }
    this.#exporter.add(spans);
  }

  #span(
    spanId: string,
    parentSpanId: string,
    name: string,
    kind: SpanRecord["kind"],
    start: number,
    end: number,
    attributes: SpanRecord["attributes"],
    error: boolean,
  ): SpanRecord {
    const traceState = this.#traceState;
    return { traceId: this.#traceId, spanId, parentSpanId, traceState, name, kind, start, end, attributes, error };
  }
}
