import type { IncomingMessage } from "node:http";
import { expect, test } from "vitest";
import { SampleColumns, SampleReader } from "./sample-columns.ts";
import type { RollupSample } from "./traffic-rollups.ts";
import { TrafficSample } from "./traffic-sample.ts";

const request = { method: "GET", headers: { "content-length": "7" } } as unknown as IncomingMessage;

function sample(i: number, consumerId: string | null = i % 4 === 0 ? null : `csm_${i % 7}`): TrafficSample {
  const s = new TrafficSample(request, `api_${i % 3}`, `rte_${i % 5}`, "/x", `req_${i}`);
  s.consumerId = consumerId;
  s.status = 200 + (i % 4) * 100;
  s.endedAt = 1_795_000_000_000 + i;
  s.latencyMs = i / 8;
  s.upstreamMs = i % 6 === 0 ? -1 : i / 16;
  s.bytesOut = i * 3;
  s.refusal = i % 9 === 0 ? "rate_limited" : i % 11 === 0 ? "key_invalid" : null;
  s.upstreamId = i % 9 === 0 ? null : `ups_${i % 2}`;
  s.cacheStatus = i % 5 === 0 ? null : i % 5 === 1 ? "HIT" : "MISS";
  return s;
}

function fields(s: RollupSample) {
  const { apiId, routeId, consumerId, status, endedAt, latencyMs, upstreamMs, bytesIn, bytesOut, refusal } = s;
  const { upstreamId, cacheStatus } = s;
  return {
    ...{ apiId, routeId, consumerId, status, endedAt, latencyMs, upstreamMs, bytesIn, bytesOut, refusal },
    ...{ upstreamId, cacheStatus },
  };
}

function recordAndRead(columns: SampleColumns, reader: SampleReader, samples: TrafficSample[]) {
  for (const s of samples) columns.record(s);
  const batch = columns.take();
  if (batch === null) throw new Error("nothing taken");
  const out: ReturnType<typeof fields>[] = [];
  reader.read(batch, (s) => out.push(fields(s)));
  expect(out).toEqual(samples.map(fields));
  return batch;
}

test("every sample comes back as it was recorded, past the first array's size, each id named once", () => {
  const columns = new SampleColumns();
  const recorded = Array.from({ length: 1000 }, (_, i) => sample(i));
  const batch = recordAndRead(columns, new SampleReader(), recorded);
  const used = new Set(
    recorded.flatMap((s) =>
      [s.apiId, s.routeId, s.consumerId, s.refusal, s.upstreamId, s.cacheStatus].filter((name) => name !== null),
    ),
  );
  expect(batch.names).toHaveLength(used.size);
  expect(new Set(batch.names)).toEqual(used);
  expect(columns.take()).toBeNull();
});

test("a later batch names only new ids and reads with the ones sent before", () => {
  const columns = new SampleColumns();
  const reader = new SampleReader();
  recordAndRead(columns, reader, [sample(1), sample(2)]);
  const batch = recordAndRead(columns, reader, [sample(2), sample(1), sample(3, "csm_new")]);
  expect(batch.names).toEqual(["api_0", "rte_3", "csm_new"]);
});

test("after resendNames a new reader gets every id from the first", () => {
  const columns = new SampleColumns();
  recordAndRead(columns, new SampleReader(), [sample(1), sample(2)]);
  columns.resendNames();
  const batch = recordAndRead(columns, new SampleReader(), [sample(2), sample(1)]);
  expect(batch.namesFrom).toBe(0);
});

test("past 100,000 ids the table starts over on both sides", () => {
  const columns = new SampleColumns();
  const reader = new SampleReader();
  const many = Array.from({ length: 100_001 }, (_, i) => sample(i, `csm_${i}`));
  expect(recordAndRead(columns, reader, many).forgetNames).toBe(true);
  const next = recordAndRead(columns, reader, [sample(5, "csm_5"), sample(7, null)]);
  expect(next).toMatchObject({
    namesFrom: 0,
    names: ["api_2", "rte_0", "csm_5", "ups_1", "api_1", "rte_2", "MISS"],
    forgetNames: false,
  });
});
