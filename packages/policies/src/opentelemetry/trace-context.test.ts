import { expect, test } from "vitest";
import { newSpanId, newTraceId, parseTraceparent, sampledByRatio, traceparent } from "./trace-context.ts";

const TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
const SPAN = "00f067aa0ba902b7";

test("a valid traceparent is read with its sampled flag", () => {
  expect(parseTraceparent(`00-${TRACE}-${SPAN}-01`)).toEqual({ traceId: TRACE, spanId: SPAN, sampled: true });
  expect(parseTraceparent(`00-${TRACE}-${SPAN}-00`)?.sampled).toBe(false);
  expect(parseTraceparent(`00-${TRACE}-${SPAN}-03`)?.sampled).toBe(true);
  // A later version may add fields after the flags.
  expect(parseTraceparent(`01-${TRACE}-${SPAN}-01-extra`)?.traceId).toBe(TRACE);
});

test("an invalid traceparent is none", () => {
  for (const bad of [
    undefined,
    "",
    `00-${TRACE}-${SPAN}`,
    `00-${TRACE.toUpperCase()}-${SPAN}-01`,
    `00-${"0".repeat(32)}-${SPAN}-01`,
    `00-${TRACE}-${"0".repeat(16)}-01`,
    `ff-${TRACE}-${SPAN}-01`,
    `00-${TRACE}-${SPAN}-01-extra`,
    `00-${TRACE}-${SPAN}-0x`,
  ]) {
    expect(parseTraceparent(bad), String(bad)).toBeNull();
  }
});

test("the ratio decides from the trace id: 0 never, 1 always, and the same id the same way", () => {
  const ids = Array.from({ length: 2000 }, newTraceId);
  expect(ids.filter((id) => sampledByRatio(id, 0))).toEqual([]);
  expect(ids.every((id) => sampledByRatio(id, 1))).toBe(true);
  const half = ids.filter((id) => sampledByRatio(id, 0.5)).length;
  // 2000 fair draws land within 800..1200 but for one chance in billions.
  expect(half).toBeGreaterThan(800);
  expect(half).toBeLessThan(1200);
  expect(sampledByRatio(`${"0".repeat(18)}${"0".repeat(13)}1`, 0.01)).toBe(true);
  expect(sampledByRatio(`${"0".repeat(18)}${"f".repeat(14)}`, 0.99)).toBe(false);
});

test("new ids are hex of the W3C lengths, and differ", () => {
  const traces = new Set(Array.from({ length: 1000 }, newTraceId));
  const spans = new Set(Array.from({ length: 1000 }, newSpanId));
  expect([traces.size, spans.size]).toEqual([1000, 1000]);
  for (const id of traces) expect(id).toMatch(/^[0-9a-f]{32}$/);
  for (const id of spans) expect(id).toMatch(/^[0-9a-f]{16}$/);
  expect(traceparent(TRACE, SPAN, true)).toBe(`00-${TRACE}-${SPAN}-01`);
});
