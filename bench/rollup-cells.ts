/**
 * What traffic rollups cost when traffic spreads over many routes: `rps` samples a second,
 * each on the next of `routes` routes (so nearly every sample opens a cell of its own), for
 * `seconds` simulated seconds, taken every second as the analytics writer does. Per sample,
 * split by thread: on the gateway's main thread, what the request path and the flush do (with
 * the rollups on the writer's thread: recording the sample's numbers and taking the batch;
 * before that, recording into the cells, taking the seconds, minutes and hours and
 * serialising the statements); on the writer's thread, adding the samples into the rollups and
 * taking them. In a fresh process per checkout: this one, and `--base DIR` (a checkout made by
 * `bench/base-checkout.sh` with its own node_modules/@gatehouse links) when given.
 *
 *   node bench/rollup-cells.ts [--routes 10000] [--rps 7000] [--seconds 180] [--base DIR]
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { checkoutsToCompare, measureEachCheckout, writeResult } from "./compare.ts";

const ANALYTICS = "apps/gateway/src/analytics";

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

type Rollups = typeof import("../apps/gateway/src/analytics/traffic-rollups.ts");
type Columns = typeof import("../apps/gateway/src/analytics/sample-columns.ts");
/** The fields both generations read; each checkout's own types are not this one's. */
type AnySample = Parameters<InstanceType<Rollups["TrafficRollups"]>["record"]>[0] &
  Parameters<InstanceType<Columns["SampleColumns"]>["record"]>[0];

if (values.run) {
  const dir = path.join(values.run, ANALYTICS);
  const load = async <T>(file: string) => (await import(pathToFileURL(path.join(dir, file)).href)) as T;
  const { TrafficRollups } = await load<Rollups>("traffic-rollups.ts");
  const columnsModule = existsSync(path.join(dir, "sample-columns.ts"))
    ? await load<Columns>("sample-columns.ts")
    : null;
  const routeIds = Array.from({ length: routes }, (_, i) => `rte_${String(i).padStart(20, "0")}`);
  const apiIds = Array.from({ length: Math.ceil(routes / 100) }, (_, i) => `api_${String(i).padStart(20, "0")}`);
  let clock = Date.UTC(2026, 10, 23, 10, 0, 0);
  // The older generation read its clock from an option; the newer takes it as an argument.
  const rollups = new TrafficRollups({ now: () => clock } as ConstructorParameters<Rollups["TrafficRollups"]>[0]);
  const columns = columnsModule === null ? null : new columnsModule.SampleColumns();
  const reader = columnsModule === null ? null : new columnsModule.SampleReader();
  const record = (sample: AnySample) => (columns === null ? rollups.record(sample) : columns.record(sample));
  let next = 0;
  const spent = { main: 0, writer: 0 };
  let rows = 0;
  for (let s = 0; s < seconds; s++) {
    const t0 = performance.now();
    for (let i = 0; i < rps; i++) {
      const route = next++ % routes;
      record({
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
      } as AnySample);
    }
    clock += 1000;
    if (columns === null) {
      // That generation's take read the clock option; a first argument would mean "all".
      const batch = (rollups.take as () => ReturnType<typeof rollups.take>)();
      JSON.stringify(batch?.statements ?? []);
      spent.main += performance.now() - t0;
      for (const statement of batch?.statements ?? []) rows += statement.rows.length;
      continue;
    }
    const taken = columns.take();
    const t1 = performance.now();
    if (taken !== null) reader?.read(taken, (sample) => rollups.record(sample));
    const batch = rollups.take(clock);
    spent.main += t1 - t0;
    spent.writer += performance.now() - t1;
    for (const statement of batch?.statements ?? []) rows += statement.rows.length;
  }
  const perSample = (ms: number) => (ms * 1000) / (seconds * rps);
  console.log(
    JSON.stringify({
      main: perSample(spent.main),
      writer: perSample(spent.writer),
      rowsPerSecond: rows / seconds,
      where: columns === null ? "main thread" : "writer thread",
    }),
  );
  process.exit(0);
}

const rows = measureEachCheckout<Record<string, number | string>>(
  checkoutsToCompare(values.base),
  3,
  (checkout) => [
    import.meta.filename,
    ...["--routes", String(routes), "--rps", String(rps), "--seconds", String(seconds)],
    ...["--run", checkout.root],
  ],
  (checkout, run, m) => {
    const f = (v: number | string | undefined) => Number(v ?? 0).toFixed(2);
    return `| ${checkout.label} | ${run} | ${m.where} | ${f(m.main)} | ${f(m.writer)} | ${Math.round(Number(m.rowsPerSecond ?? 0))} |`;
  },
);
writeResult("rollup-cells", "Traffic rollups over many routes: cost per sample, by thread", [
  `${rps.toLocaleString("en")} samples a second, each on the next of ${routes.toLocaleString("en")} routes, for ${seconds} simulated seconds; a take every second.`,
  "",
  "| checkout | run | rollups on | main thread µs/sample | writer thread µs/sample | rows written/s |",
  "|---|---|---|---|---|---|",
  ...rows,
]);
