/**
 * What traffic rollups cost the gateway's main thread when traffic spreads over many routes:
 * `rps` samples a second, each on the next of `routes` routes (so nearly every sample opens a
 * cell of its own), for `seconds` simulated seconds, taken every second as the analytics
 * writer does, and the statements serialised as they are for the writer thread. Per sample:
 * recording, taking (minute and hour accumulation, histogram encoding) and serialising. In a
 * fresh process per checkout: this one, and `--base DIR` (a checkout made by `bench/base-checkout.sh`
 * with its own node_modules/@gatehouse links) when given.
 *
 *   node bench/rollup-cells.ts [--routes 10000] [--rps 7000] [--seconds 180] [--base DIR]
 */
import path from "node:path";
import { parseArgs } from "node:util";
import { checkoutsToCompare, measureEachCheckout, writeResult } from "./compare.ts";

const ROLLUPS = "apps/gateway/src/analytics/traffic-rollups.ts";

const { values } = parseArgs({
  options: {
    routes: { type: "string", default: "10000" },
    rps: { type: "string", default: "7000" },
    seconds: { type: "string", default: "180" },
    base: { type: "string" },
    run: { type: "string" },
  },
});
const routes = Number(values.routes);
const rps = Number(values.rps);
const seconds = Number(values.seconds);

if (values.run) {
  const { TrafficRollups } = (await import(
    values.run
  )) as typeof import("../apps/gateway/src/analytics/traffic-rollups.ts");
  type Sample = Parameters<InstanceType<typeof TrafficRollups>["record"]>[0];
  const routeIds = Array.from({ length: routes }, (_, i) => `rte_${String(i).padStart(20, "0")}`);
  const apiIds = Array.from({ length: Math.ceil(routes / 100) }, (_, i) => `api_${String(i).padStart(20, "0")}`);
  let clock = Date.UTC(2026, 10, 23, 10, 0, 0);
  const rollups = new TrafficRollups({ now: () => clock });
  let next = 0;
  const spent = { record: 0, take: 0, serialise: 0 };
  let rows = 0;
  for (let s = 0; s < seconds; s++) {
    const t0 = performance.now();
    for (let i = 0; i < rps; i++) {
      const route = next++ % routes;
      rollups.record({
        endedAt: clock + (i * 1000) / rps,
        apiId: apiIds[Math.floor(route / 100)],
        routeId: routeIds[route],
        consumerId: null,
        status: 200,
        bytesIn: 0,
        bytesOut: 2,
        // A spread of latencies, the same on every run.
        latencyMs: 0.3 + ((i * 7919) % 3000) / 1000,
        upstreamMs: 0.2,
      } as unknown as Sample);
    }
    const t1 = performance.now();
    clock += 1000;
    const batch = rollups.take();
    const t2 = performance.now();
    JSON.stringify(batch?.statements ?? []);
    const t3 = performance.now();
    spent.record += t1 - t0;
    spent.take += t2 - t1;
    spent.serialise += t3 - t2;
    for (const statement of batch?.statements ?? []) rows += statement.rows.length;
  }
  const perSample = (ms: number) => (ms * 1000) / (seconds * rps);
  console.log(
    JSON.stringify({
      record: perSample(spent.record),
      take: perSample(spent.take),
      serialise: perSample(spent.serialise),
      rowsPerSecond: rows / seconds,
    }),
  );
  process.exit(0);
}

const rows = measureEachCheckout<Record<string, number>>(
  checkoutsToCompare(values.base),
  3,
  (checkout) => [
    import.meta.filename,
    ...["--routes", String(routes), "--rps", String(rps), "--seconds", String(seconds)],
    ...["--run", path.join(checkout.root, ROLLUPS)],
  ],
  (checkout, run, m) => {
    const f = (v: number | undefined) => (v ?? 0).toFixed(2);
    const total = (m.record ?? 0) + (m.take ?? 0) + (m.serialise ?? 0);
    return `| ${checkout.label} | ${run} | ${f(m.record)} | ${f(m.take)} | ${f(m.serialise)} | ${f(total)} | ${Math.round(m.rowsPerSecond ?? 0)} |`;
  },
);
writeResult("rollup-cells", "Traffic rollups over many routes: main-thread cost per sample", [
  `${rps.toLocaleString("en")} samples a second, each on the next of ${routes.toLocaleString("en")} routes, for ${seconds} simulated seconds; a take every second.`,
  "",
  "| checkout | run | record µs/sample | take µs/sample | serialise µs/sample | total µs/sample | rows written/s |",
  "|---|---|---|---|---|---|---|",
  ...rows,
]);
