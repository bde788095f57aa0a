import type { IncomingMessage, ServerResponse } from "node:http";
import type { Socket } from "node:net";
import type { AccessLogger } from "@gatehouse/policies";
import { clientAddress } from "../proxy/headers.ts";
import { accessLogEntry } from "./access-log.ts";

/** What one request leaves behind for analytics: the one object the request path allocates for it. */
export class TrafficSample {
  readonly startedAt = performance.now();
  readonly apiId: string;
  readonly routeId: string;
  readonly method: string;
  readonly path: string;
  readonly requestId: string;
  readonly bytesIn: number;
  /** The client's connection, whose address is read only when an entry is logged. */
  readonly socket: Socket;
  /** The client's W3C trace context header, read only when an entry is logged. */
  readonly traceparent: string | string[] | undefined;
  consumerId: string | null = null;
  /** Time to the upstream's response headers, ms; -1 when the request never got one. */
  upstreamMs = -1;
  /** Response body bytes streamed from the upstream (gateway answers are counted at the end). */
  bytesOut = 0;
  /** Filled in when the response is over. */
  status = 0;
  latencyMs = 0;
  /** Epoch ms when the response was over. */
  endedAt = 0;
  /** The gateway's error code when it answered itself (`rate_limited`, `no_route`), else null. */
  refusal: string | null = null;
  /** The upstream pool the request was sent to (a canary's, when a policy chose it); null when none. */
  upstreamId: string | null = null;
  /** X-Cache-Status the proxy-cache policy gave (HIT, MISS, BYPASS, EXPIRED); null without one. */
  cacheStatus: string | null = null;
  /** The URL of the target the last attempt went to; null when none was picked. */
  target: string | null = null;
  /**
   * The proxied exchange, told of the close first: one `close` listener per response serves
   * both (a second one would turn the listener into an array on every request).
   */
  exchange: { clientClosed(): void } | null = null;
  /** Where the sample goes once the response is over. */
  sink: SampleSink | null = null;
  /** Told of the finished request (the stdout access log, log policies); null when nothing logs it. */
  loggers: AccessLogger[] | null = null;

  /** `apiId` and `routeId` are "" for a request that matched no route. */
  constructor(req: IncomingMessage, apiId: string, routeId: string, path: string, requestId: string) {
    this.apiId = apiId;
    this.routeId = routeId;
    this.method = req.method ?? "GET";
    this.path = path;
    this.requestId = requestId;
    // A chunked upload has no declared length; it counts as 0 bytes in.
    this.bytesIn = Number(req.headers["content-length"]) || 0;
    this.socket = req.socket;
    this.traceparent = req.headers.traceparent;
  }

  get clientIp(): string {
    return clientAddress(this);
  }
}

/** Where finished samples go (rollups, Prometheus counters, the request log). */
export interface SampleSink {
  record(sample: TrafficSample): void;
}

const kSample = Symbol("gatehouse.sample");
type WithSample = ServerResponse & { [kSample]?: TrafficSample };

/**
 * Attaches the sample to the response; it is recorded once the response closes, however it
 * ends. One property on the response: each one added to Node's response object per request
 * grows its property storage.
 */
export function trackSample(res: ServerResponse, sample: TrafficSample, sink: SampleSink | null): void {
  sample.sink = sink;
  (res as WithSample)[kSample] = sample;
  res.on("close", onResponseClose);
}

export function sampleOf(res: ServerResponse): TrafficSample | undefined {
  return (res as WithSample)[kSample];
}

/** A shared listener (`this` is the response), so tracking a request allocates no closure. */
function onResponseClose(this: WithSample): void {
  const sample = this[kSample];
  if (sample === undefined) return;
  if (sample.exchange !== null) {
    sample.exchange.clientClosed();
    // The request log keeps samples for a while; it must not keep the request and response with them.
    sample.exchange = null;
  }
  sample.latencyMs = performance.now() - sample.startedAt;
  sample.endedAt = Date.now();
  // Nothing was answered: the client went away first (nginx logs this as 499).
  sample.status = this.headersSent ? this.statusCode : 499;
  if (sample.upstreamMs < 0) sample.bytesOut = Number(this.getHeader("content-length")) || 0;
  sample.sink?.record(sample);
  if (sample.loggers !== null) {
    const entry = accessLogEntry(sample);
    for (const logger of sample.loggers) logger(entry);
    sample.loggers = null;
  }
}
