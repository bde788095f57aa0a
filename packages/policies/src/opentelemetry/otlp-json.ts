/** OTLP span kinds, as the JSON encoding writes enums: integers. */
export const SPAN_KIND = { internal: 1, server: 2, client: 3 } as const;
const STATUS_ERROR = 2;

/** One finished span, times in epoch milliseconds. */
export interface SpanRecord {
  traceId: string;
  spanId: string;
  /** "" for a root span. */
  parentSpanId: string;
  traceState: string;
  name: string;
  kind: (typeof SPAN_KIND)[keyof typeof SPAN_KIND];
  start: number;
  end: number;
  attributes: Record<string, string | number>;
  error: boolean;
}

/** The OTLP/JSON encoding of a resource's attributes, made once per config. */
export function resourceJson(attributes: Record<string, string>): string {
  return JSON.stringify({ attributes: Object.entries(attributes).map(([key, value]) => attribute(key, value)) });
}

/**
 * An ExportTraceServiceRequest in the OTLP/JSON mapping: ids as lower-case hex, times as unix
 * nanoseconds in strings, 64-bit integers as strings.
 */
export function exportBody(resource: string, spans: readonly SpanRecord[]): string {
  const encoded = spans.map((span) => JSON.stringify(spanJson(span))).join(",");
  return `{"resourceSpans":[{"resource":${resource},"scopeSpans":[{"scope":{"name":"gatehouse"},"spans":[${encoded}]}]}]}`;
}

function spanJson(span: SpanRecord) {
  return {
    traceId: span.traceId,
    spanId: span.spanId,
    parentSpanId: span.parentSpanId,
    traceState: span.traceState,
    name: span.name,
    kind: span.kind,
    startTimeUnixNano: nanos(span.start),
    endTimeUnixNano: nanos(Math.max(span.start, span.end)),
    attributes: Object.entries(span.attributes).map(([key, value]) => attribute(key, value)),
    status: span.error ? { code: STATUS_ERROR } : {},
  };
}

function attribute(key: string, value: string | number) {
  return { key, value: typeof value === "number" ? { intValue: String(value) } : { stringValue: value } };
}

function nanos(ms: number): string {
  return BigInt(Math.round(ms * 1e6)).toString();
}
