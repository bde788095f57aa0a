/**
 * What a change bought at full load: the same wrk load on the gateway of another checkout (A,
 * e.g. the commit before the change) and of this one (B), interleaved A B B A … so machine
 * drift hits both alike. Prints each run and the medians' ratio.
 *
 *   sh bench/base-checkout.sh <commit> /tmp/gatehouse-base
 *   node bench/ab-checkouts.ts /tmp/gatehouse-base [--routes 1] [--runs 4] [--seconds 10] [--policies]
 */
import path from "node:path";
import { parseArgs } from "node:util";
import { type GatehouseTarget, startGatehouse } from "./gatehouse.ts";
import { runWrk } from "./load/wrk.ts";
import { findNginx, startNginxUpstream } from "./nginx.ts";
import { cpuSeconds, which } from "./processes.ts";
import { median } from "./report.ts";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    routes: { type: "string", default: "1" },
    runs: { type: "string", default: "4" },
    seconds: { type: "string", default: "10" },
    policies: { type: "boolean", default: false },
  },
});
const baseDir = positionals[0];
if (!baseDir) throw new Error("usage: node bench/ab-checkouts.ts BASE_CHECKOUT [--routes N] [--runs N] [--seconds S]");
const wrk = which("wrk");
const nginx = findNginx();
if (wrk === null || nginx === null) throw new Error("ab-checkouts needs wrk and nginx (apt-get install wrk nginx)");
const routes = Number(values.routes);
const seconds = Number(values.seconds);

const { startGatehouse: startBase } = (await import(path.resolve(baseDir, "bench/gatehouse.ts"))) as {
  startGatehouse: typeof startGatehouse;
};
const upstream = await startNginxUpstream(nginx);
const options = { reloads: 1, cpuProfDir: null, label: "ab", policies: values.policies, keys: 100 };
const targets: Array<{ name: string; gateway: GatehouseTarget; rps: number[]; p99: number[]; cpuUs: number[] }> = [];
try {
  targets.push({
    name: "A (base)",
    gateway: await startBase(upstream.url, routes, options),
    rps: [],
    p99: [],
    cpuUs: [],
  });
  targets.push({
    name: "B (this)",
    gateway: await startGatehouse(upstream.url, routes, options),
    rps: [],
    p99: [],
    cpuUs: [],
  });
  const load = (target: (typeof targets)[number], s: number) =>
    runWrk(wrk, {
      url: target.gateway.url,
      connections: 50,
      threads: 2,
      seconds: s,
      routes,
      apiKey: target.gateway.apiKey ?? undefined,
    });
  for (const target of targets) await load(target, 3);
  for (let run = 0; run < Number(values.runs); run++) {
    for (const target of run % 2 === 0 ? targets : targets.toReversed()) {
      const cpu0 = cpuSeconds(target.gateway.pid);
      const result = await load(target, seconds);
      // Steadier than req/s on a shared host: CPU the gateway (both threads) spent on each request.
      const cpuUs = ((cpuSeconds(target.gateway.pid) - cpu0) / (result.rps * seconds)) * 1e6;
      target.rps.push(result.rps);
      target.p99.push(result.p99Ms);
      target.cpuUs.push(cpuUs);
      console.log(
        `${target.name}: ${Math.round(result.rps)} req/s, p99 ${result.p99Ms} ms, ${cpuUs.toFixed(1)} µs CPU/req, ${result.errors} errors`,
      );
    }
  }
} finally {
  for (const target of targets) await target.gateway.stop();
  await upstream.stop();
}
const [a, b] = targets as [(typeof targets)[number], (typeof targets)[number]];
console.log(
  `medians: A ${Math.round(median(a.rps))} req/s p99 ${median(a.p99)} ms ${median(a.cpuUs).toFixed(1)} µs CPU/req; ` +
    `B ${Math.round(median(b.rps))} req/s p99 ${median(b.p99)} ms ${median(b.cpuUs).toFixed(1)} µs CPU/req; ` +
    `B/A ${(median(b.rps) / median(a.rps)).toFixed(3)}× req/s, ${(median(b.cpuUs) / median(a.cpuUs)).toFixed(3)}× CPU/req`,
);
