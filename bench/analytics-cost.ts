/**
 * What analytics cost: the same gateway (1 api, no policies, nginx upstream) with analytics on
 * and with GATEHOUSE_ANALYTICS=off, loaded in turn (A B A B …) by wrk so drift cancels out;
 * throughput and the gateway's own CPU time per request from /proc.
 *
 *   node bench/analytics-cost.ts [repetitions=8] [seconds=8]
 */
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { machineLines, toolVersions } from "./environment.ts";
import { startGatehouse } from "./gatehouse.ts";
import { findNginx, startNginxUpstream } from "./nginx.ts";
import { cpuSeconds, which } from "./processes.ts";
import { median } from "./report.ts";

const repetitions = Number(process.argv[2] ?? 8);
const seconds = Number(process.argv[3] ?? 8);
const nginx = findNginx();
const wrk = which("wrk");
if (nginx === null || wrk === null) throw new Error("analytics-cost needs nginx and wrk (apt-get install nginx wrk)");

const upstream = await startNginxUpstream(nginx);
const variants = [
  {
    name: "analytics on",
    gateway: await startGatehouse(upstream.url, 1, { reloads: 1, cpuProfDir: null, label: "on" }),
  },
  {
    name: "analytics off",
    gateway: await startGatehouse(upstream.url, 1, { reloads: 1, cpuProfDir: null, label: "off", analyticsOff: true }),
  },
];
const runs = new Map(variants.map((v) => [v.name, [] as { rps: number; cpuUs: number }[]]));
try {
  for (let rep = 1; rep <= repetitions; rep++) {
    for (const { name, gateway } of variants) {
      const cpu0 = cpuSeconds(gateway.pid);
      const out = execFileSync(wrk, ["-t2", "-c50", `-d${seconds}s`, `${gateway.url}/api0/users/1`]).toString();
      const requests = Number(/(\d+) requests in/.exec(out)?.[1]);
      const run = { rps: requests / seconds, cpuUs: ((cpuSeconds(gateway.pid) - cpu0) / requests) * 1e6 };
      runs.get(name)?.push(run);
      console.error(
        `bench: ${rep}/${repetitions} ${name}: ${Math.round(run.rps)} req/s, ${run.cpuUs.toFixed(1)} µs CPU/request`,
      );
    }
  }
} finally {
  for (const { gateway } of variants) await gateway.stop();
  await upstream.stop();
}

const summary = (name: string) => {
  const list = runs.get(name) ?? [];
  return { rps: median(list.map((r) => r.rps)), cpuUs: median(list.map((r) => r.cpuUs)) };
};
const on = summary("analytics on");
const off = summary("analytics off");
const report = [
  "# What analytics cost",
  "",
  `${new Date().toISOString()}, command: \`node bench/analytics-cost.ts ${repetitions} ${seconds}\``,
  "",
  ...machineLines(toolVersions(wrk, nginx)).map((line) => `- ${line}`),
  "",
  `The same gateway (1 api, no policies, nginx upstream) with analytics on and with GATEHOUSE_ANALYTICS=off, loaded in turn by \`wrk -t2 -c50 -d${seconds}s\`, ${repetitions} times each; medians. CPU is the gateway process's utime + stime from /proc over each run.`,
  "",
  "| variant | req/s | gateway CPU µs/request |",
  "|---|---|---|",
  `| analytics on | ${Math.round(on.rps)} | ${on.cpuUs.toFixed(1)} |`,
  `| analytics off | ${Math.round(off.rps)} | ${off.cpuUs.toFixed(1)} |`,
  `| on / off | ${(on.rps / off.rps).toFixed(3)}× | +${(on.cpuUs - off.cpuUs).toFixed(1)} µs |`,
  "",
  "Target: analytics cost at most 5% of throughput (on / off ≥ 0.95×).",
  "",
].join("\n");
console.log(report);
writeFileSync(path.join(import.meta.dirname, "results", "analytics-cost.md"), report);
