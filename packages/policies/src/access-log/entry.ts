/**
 * One finished request as every log sink writes it (http-log, file-log, the stdout access log).
 * No query string, no headers, no bodies: nothing here can carry a credential.
 */
export interface AccessLogEntry {
  /** When the response was over, ISO 8601. */
  time: string;
  requestId: string;
  /** From the client's W3C `traceparent`; null without a valid one. */
  traceId: string | null;
  /** Null for a request that matched no route. */
  apiId: string | null;
  routeId: string | null;
  consumerId: string | null;
  method: string;
  /** The client's path, without the query string. */
  path: string;
  /** 499 when the client went away before any answer. */
  status: number;
  /** The gateway's error code when it refused the request itself (`rate_limited`), else null. */
  refusal: string | null;
  /** From the request's arrival to the end of its response. */
  latencyMs: number;
  /** To the upstream's response headers; null when no upstream answered. */
  upstreamMs: number | null;
  /** The declared request body length (a chunked upload counts 0). */
  bytesIn: number;
  bytesOut: number;
  clientIp: string;
}

/** Told of each finished request once; must not throw and must not block. */
export type AccessLogger = (entry: AccessLogEntry) => void;

const TRACEPARENT = /^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}/;
const ZERO_TRACE = "0".repeat(32);

/** The trace id of a W3C `traceparent` header, or null when there is none or it is malformed. */
export function traceIdOf(traceparent: string | string[] | undefined): string | null {
  const value = Array.isArray(traceparent) ? traceparent[0] : traceparent;
  if (value === undefined) return null;
  const id = TRACEPARENT.exec(value)?.[1];
  return id === undefined || id === ZERO_TRACE ? null : id;
}
