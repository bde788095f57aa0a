import { randomFillSync } from "node:crypto";

/** A W3C trace context as a client sent it in `traceparent`. */
export interface ParentContext {
  traceId: string;
  spanId: string;
  sampled: boolean;
}

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-|$)/;
const ZERO_TRACE = "0".repeat(32);
const ZERO_SPAN = "0".repeat(16);

/**
 * The client's parent, or null for none or an invalid one (W3C Trace Context §3.2: version
 * ff, all-zero ids, and version 00 with anything after the flags are invalid; a later
 * version is read for its first four fields).
 */
export function parseTraceparent(header: string | undefined): ParentContext | null {
  if (header === undefined) return null;
  const value = header.trim();
  const m = TRACEPARENT.exec(value);
  if (m === null) return null;
  const [, version, traceId, spanId, flags] = m as unknown as [string, string, string, string, string];
  if (version === "ff" || traceId === ZERO_TRACE || spanId === ZERO_SPAN) return null;
  if (version === "00" && value.length !== 55) return null;
  return { traceId, spanId, sampled: (Number.parseInt(flags, 16) & 1) === 1 };
}

export function traceparent(traceId: string, spanId: string, sampled: boolean): string {
  return `00-${traceId}-${spanId}-${sampled ? "01" : "00"}`;
}

/**
 * Whether a new trace is recorded: its id's lowest 56 bits against the ratio (the W3C random
 * trace id flag's bits), so every gateway decides the same for the same trace.
 */
export function sampledByRatio(traceId: string, ratio: number): boolean {
  return Number.parseInt(traceId.slice(18), 16) < ratio * 2 ** 56;
}

/** Random bytes drawn a page at a time: a syscall per id would cost more than the span. */
const pool = Buffer.alloc(4096);
let used = pool.length;

function randomHex(bytes: number): string {
  if (used + bytes > pool.length) {
    randomFillSync(pool);
    used = 0;
  }
  const hex = pool.toString("hex", used, used + bytes);
  used += bytes;
  return hex;
}

export function newTraceId(): string {
  const id = randomHex(16);
  return id === ZERO_TRACE ? newTraceId() : id;
}

export function newSpanId(): string {
  const id = randomHex(8);
  return id === ZERO_SPAN ? newSpanId() : id;
}
