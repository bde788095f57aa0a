import { type AccessLogEntry, type AccessLogger, traceIdOf } from "@gatehouse/policies";
import type { TrafficSample } from "./traffic-sample.ts";

const round = (ms: number) => Math.round(ms * 1000) / 1000;

/** The log entry of a finished request, from what its sample measured: nothing is measured twice. */
export function accessLogEntry(sample: TrafficSample): AccessLogEntry {
  return {
    time: new Date(sample.endedAt).toISOString(),
    requestId: sample.requestId,
    traceId: traceIdOf(sample.traceparent),
    apiId: sample.apiId === "" ? null : sample.apiId,
    routeId: sample.routeId === "" ? null : sample.routeId,
    consumerId: sample.consumerId,
    method: sample.method,
    path: sample.path,
    status: sample.status,
    refusal: sample.refusal,
    latencyMs: round(sample.latencyMs),
    upstreamMs: sample.upstreamMs < 0 ? null : round(sample.upstreamMs),
    bytesIn: sample.bytesIn,
    bytesOut: sample.bytesOut,
    clientIp: sample.clientIp,
  };
}

/**
 * GATEHOUSE_ACCESS_LOG=json: one JSON line per request on stdout. One write per line, so lines
 * from worker threads (whose stdout the main thread writes) never interleave.
 */
export const stdoutAccessLog: AccessLogger = (entry) => {
  process.stdout.write(`${JSON.stringify(entry)}\n`);
};
