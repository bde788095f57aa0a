import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, expect, test } from "vitest";
import { testContext, testServices } from "../test-context.ts";
import type { PolicyMetric } from "../types.ts";
import { opentelemetry } from "./handler.ts";
import { opentelemetrySchema } from "./schema.ts";

const TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
const PARENT = "00f067aa0ba902b7";

/** A collector on 127.0.0.1 that answers each export with the status `answer` gives, or holds it while `hold` is set. */
const received: string[] = [];
let answer = 200;
let held: Array<() => void> = [];
let hold = false;
let collector: Server;
let endpoint: string;

beforeAll(async () => {
  collector = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      received.push(`${Buffer.concat(chunks)}`);
      const reply = () => res.writeHead(answer).end();
      if (hold) held.push(reply);
      else reply();
    });
  });
  await new Promise<void>((resolve) => collector.listen(0, "127.0.0.1", resolve));
  endpoint = `http://127.0.0.1:${(collector.address() as { port: number }).port}`;
});
afterAll(() => {
  collector.closeAllConnections();
  collector.close();
});

function policy(config: Record<string, unknown>) {
  const counts: Record<string, number> = {};
  const services = {
    ...testServices(),
    metrics: {
      count(metric: PolicyMetric, _policyId: string, outcome: string) {
        const key = `${metric.name}:${outcome}`;
        counts[key] = (counts[key] ?? 0) + 1;
      },
    },
  };
  const handler = opentelemetry.create(opentelemetrySchema.config.parse({ endpoint, ...config }), services, "pol_otel");
  return { handler, counts, services };
}

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; !condition(); i++) {
    if (i > 500) throw new Error("never");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** One request through the policy, ended as the gateway ends it. */
function request(handler: ReturnType<typeof policy>["handler"], headers: Record<string, string> = {}) {
  const ctx = testContext({ headers });
  handler.handle(ctx);
  ctx.trace?.finished(200, performance.timeOrigin + performance.now());
  return ctx;
}

test("a sampled client trace is recorded and sent upstream as the child of the gateway's CLIENT span", () => {
  const { handler } = policy({ flushIntervalMs: 60_000 });
  const ctx = request(handler, { traceparent: `00-${TRACE}-${PARENT}-01`, tracestate: "a=1" });
  expect(ctx.trace).not.toBeNull();
  expect(ctx.upstreamHeaders.traceparent).toMatch(new RegExp(`^00-${TRACE}-[0-9a-f]{16}-01$`));
  expect(ctx.upstreamHeaders.traceparent).not.toContain(PARENT);
  expect(ctx.stripHeaders).toEqual([]);
});

test("an unsampled client trace passes through untouched; an invalid one is replaced and its tracestate dropped", () => {
  const { handler } = policy({ samplingRatio: 0 });
  const passed = request(handler, { traceparent: `00-${TRACE}-${PARENT}-00`, tracestate: "a=1" });
  expect([passed.trace, passed.upstreamHeaders.traceparent, passed.stripHeaders]).toEqual([null, undefined, []]);
  const invalid = request(handler, { traceparent: `00-${TRACE}-${PARENT}`, tracestate: "a=1" });
  expect(invalid.trace).toBeNull();
  expect(invalid.upstreamHeaders.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-00$/);
  expect(invalid.upstreamHeaders.traceparent).not.toContain(TRACE);
  expect(invalid.stripHeaders).toEqual(["tracestate"]);
});

test("one export is in flight at a time; the rest wait in the queue and go once it is answered", async () => {
  hold = true;
  const before = received.length;
  const { handler, counts } = policy({ batchSize: 1, flushIntervalMs: 10 });
  for (let i = 0; i < 3; i++) request(handler);
  await until(() => received.length === before + 1);
  await new Promise((resolve) => setTimeout(resolve, 100));
  expect(received.length).toBe(before + 1);
  hold = false;
  for (const reply of held) reply();
  held = [];
  await until(() => counts["gatehouse_otel_spans_exported_total:ok"] === 3);
  expect(received.length).toBe(before + 3);
  const body = JSON.parse(received.at(-1) as string);
  expect(body.resourceSpans[0].resource.attributes).toEqual([
    { key: "service.name", value: { stringValue: "gatehouse" } },
  ]);
});

test("a refused or timed-out export counts its spans as failed, and the next one still goes", async () => {
  answer = 503;
  const refused = policy({ flushIntervalMs: 10 });
  request(refused.handler);
  await until(() => refused.counts["gatehouse_otel_spans_dropped_total:failed"] === 1);
  expect(refused.services.lines.join("\n")).toMatch(/spans dropped \(Error: the collector answered 503\)/);
  answer = 200;
  hold = true;
  const timedOut = policy({ flushIntervalMs: 10, timeoutMs: 50 });
  request(timedOut.handler);
  await until(() => timedOut.counts["gatehouse_otel_spans_dropped_total:failed"] === 1);
  hold = false;
  request(timedOut.handler);
  await until(() => timedOut.counts["gatehouse_otel_spans_exported_total:ok"] === 1);
  for (const reply of held) reply();
  held = [];
});
