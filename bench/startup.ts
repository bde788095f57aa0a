/**
 * Start-up to ready and peak RSS of the real gateway process, started through its entry
 * (`src/index.ts`, with the drizzle resolve shortcut) and through `src/main.ts` (the same
 * gateway, every module resolved by Node alone), interleaved, over one config with 1 route
 * and one with key-auth and `keys` keys.
 *
 *   node bench/startup.ts [--keys 1000000] [--runs 5]
 */
import { parseArgs } from "node:util";
import { GATEWAY_ENTRIES, startGateway } from "../apps/gateway/src/test-support/servers.ts";
import { writeResult } from "./compare.ts";
import { seedConfig, waitLive } from "./gatehouse.ts";
import { percentile } from "./load/result.ts";
import { peakRss } from "./processes.ts";

const { values } = parseArgs({
  options: { keys: { type: "string", default: "1000000" }, runs: { type: "string", default: "5" } },
});
const keys = Number(values.keys);
const runs = Number(values.runs);
// Nothing listens there: start-up never sends a request upstream.
const upstreamUrl = "http://127.0.0.1:9";

const configs = [
  { label: "1 route", seed: () => seedConfig(upstreamUrl, 1) },
  {
    label: `1 route, key-auth, ${keys.toLocaleString("en")} keys`,
    seed: () => seedConfig(upstreamUrl, 1, { policies: true, keys }),
  },
];
const entries = [
  { label: "src/main.ts (Node's resolution)", file: GATEWAY_ENTRIES.main },
  { label: "src/index.ts (the entry, drizzle shortcut)", file: GATEWAY_ENTRIES.entry },
];

/** Median (min–max) of sorted values. */
function spread(sorted: number[]): string {
  return `${percentile(sorted, 50).toFixed(0)} (${(sorted[0] as number).toFixed(0)}–${(sorted.at(-1) as number).toFixed(0)})`;
}

const rows: string[] = [];
for (const config of configs) {
  console.log(`seeding: ${config.label}`);
  const seeded = await config.seed();
  try {
    const measured = entries.map(() => ({ readyMs: [] as number[], rssMb: [] as number[] }));
    for (let run = 1; run <= runs; run++) {
      for (const [i, entry] of entries.entries()) {
        const t0 = performance.now();
        const gateway = await startGateway(seeded.admin.dataDir, {}, entry.file);
        try {
          await waitLive(gateway, seeded.revision);
          const readyMs = performance.now() - t0;
          const rssMb = peakRss(gateway.child.pid as number) / 2 ** 20;
          measured[i]?.readyMs.push(readyMs);
          measured[i]?.rssMb.push(rssMb);
          console.log(
            `${config.label}, ${entry.label}, run ${run}: ready ${readyMs.toFixed(0)} ms, peak RSS ${rssMb.toFixed(0)} MB`,
          );
        } finally {
          await gateway.stop();
        }
      }
    }
    for (const [i, entry] of entries.entries()) {
      const m = measured[i] as { readyMs: number[]; rssMb: number[] };
      m.readyMs.sort((a, b) => a - b);
      m.rssMb.sort((a, b) => a - b);
      rows.push(`| ${config.label} | ${entry.label} | ${spread(m.readyMs)} | ${spread(m.rssMb)} |`);
    }
  } finally {
    seeded.admin.close();
  }
}

writeResult("startup", "Gateway start-up: ready time and peak RSS", [
  "Each run spawns the real gateway on a seeded config.db and polls /readyz until it serves the seeded revision; " +
    "peak RSS is VmHWM (gateway and its analytics thread) once ready. The two ways to start alternate run by run.",
  "",
  "| config | started through | ready ms, median (min–max) | peak RSS MB, median (min–max) |",
  "|---|---|---|---|",
  ...rows,
]);
