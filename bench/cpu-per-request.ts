/**
 * CPU time per request, 1 proxy thread against 2: nginx (1 and 2 worker processes), the bare
 * Node proxy (1 thread, and 2 worker threads on one port with reusePort), Gatehouse plain and
 * with key-auth + rate-limit + analytics (GATEHOUSE_WORKERS=1 and 2). CPU is utime + stime of
 * the whole process (every thread; nginx: master + workers) from /proc over each wrk run,
 * divided by the requests wrk counted. Then the rate limiter's admitted count at 2 workers.
 * Writes bench/results/cpu-per-request-<date>.md.
 *
 *   node bench/cpu-per-request.ts [--seconds 4] [--repetitions 3] [--warmup 2] [--connections 50]
 */
import { startBareProxy } from "./bare-proxy-process.ts";
import { writeResult } from "./compare.ts";
import { type CpuTarget, cpuReportLines } from "./cpu-per-request-report.ts";
import { toolVersions } from "./environment.ts";
import { startGatehouse } from "./gatehouse.ts";
import { limitExactnessLines, measureLimitExactness } from "./limit-exactness.ts";
import { runWrkWithCpu } from "./load/wrk.ts";
import { loadOptions, say } from "./load-options.ts";
import { findNginx, startNginxProxy, startNginxUpstream } from "./nginx.ts";
import { CLOCK_TICKS, cpuSeconds, which } from "./processes.ts";

const { seconds, repetitions, warmup, connections } = loadOptions({
  seconds: 4,
  repetitions: 3,
  warmup: 2,
  connections: 50,
});

const wrk = which("wrk");
const nginx = findNginx();
if (!wrk || !nginx || !which("taskset")) throw new Error("this bench needs wrk, nginx and taskset (util-linux)");

interface Started {
  target: CpuTarget;
  url: string;
  pid: number;
  apiKey: string | null;
}

const stops: (() => Promise<void>)[] = [];
async function stopAll(): Promise<void> {
  for (const stop of stops.splice(0).reverse()) await stop().catch((error) => say(`stop failed: ${error}`));
}
process.once("SIGINT", () => void stopAll().then(() => process.exit(130)));

/** 1 worker: wrk on core 1 with one thread, so the proxy has core 0 mostly to itself; 2: both cores, two wrk threads. */
const load = (started: Started, duration: number) =>
  runWrkWithCpu(
    wrk,
    {
      url: started.url,
      connections,
      threads: started.target.workers,
      seconds: duration,
      routes: 1,
      apiKey: started.apiKey ?? undefined,
    },
    started.target.workers === 1 ? "1" : null,
  );

try {
  const upstream = await startNginxUpstream(nginx);
  stops.push(upstream.stop);
  const all: Started[] = [];
  for (const workers of [1, 2]) {
    const proxy = await startNginxProxy(nginx, upstream.url, workers);
    stops.push(proxy.stop);
    all.push({ target: { key: "nginx", label: "nginx proxy", workers, runs: [] }, ...proxy, apiKey: null });
  }
  for (const workers of [1, 2]) {
    const bare = await startBareProxy(upstream.url, workers);
    stops.push(() => bare.child.stop());
    all.push({ target: { key: "bare", label: "bare Node proxy", workers, runs: [] }, ...bare, apiKey: null });
  }
  for (const policies of [false, true]) {
    for (const workers of [1, 2]) {
      say(`Gatehouse ${policies ? "with policies" : "plain"}, GATEHOUSE_WORKERS=${workers}: seeding and starting`);
      const label = policies ? "Gatehouse, key-auth + rate-limit + analytics" : "Gatehouse, 1 api, no policies";
      const key = policies ? "full" : "plain";
      const gatehouse = await startGatehouse(upstream.url, 1, {
        reloads: 0,
        cpuProfDir: null,
        label: `${key}-${workers}`,
        policies,
        keys: 100,
        workers,
      });
      stops.push(gatehouse.stop);
      all.push({
        target: { key, label, workers, runs: [] },
        url: gatehouse.url,
        pid: gatehouse.pid,
        apiKey: gatehouse.apiKey,
      });
    }
  }

  say(`warming up each target for ${warmup} s`);
  for (const started of all) await load(started, warmup);
  for (let rep = 1; rep <= repetitions; rep++) {
    for (const started of all) {
      const proxy0 = cpuSeconds(started.pid);
      const upstream0 = cpuSeconds(upstream.pid);
      const result = await load(started, seconds);
      started.target.runs.push({
        ...result,
        proxyCpuSeconds: cpuSeconds(started.pid) - proxy0,
        upstreamCpuSeconds: cpuSeconds(upstream.pid) - upstream0,
      });
      const { label, workers } = started.target;
      say(`${rep}/${repetitions} ${label} ×${workers}: ${Math.round(result.rps)} req/s, ${result.errors} errors`);
    }
  }

  say("rate limiter: 2000 requests at GATEHOUSE_WORKERS=2 against a limit of 100/minute");
  const exactness = await measureLimitExactness(upstream.url);
  const versions = toolVersions(wrk, nginx);
  writeResult("cpu-per-request", "CPU time per request, 1 proxy thread and 2", [
    `- wrk ${versions.wrk}, nginx ${versions.nginx}, undici ${versions.undici}, CLK_TCK ${CLOCK_TICKS}`,
    "",
    ...cpuReportLines({ targets: all.map((s) => s.target), seconds, repetitions, warmup, connections }),
    "",
    "## The rate limiter's admitted count with 2 workers",
    "",
    ...limitExactnessLines(exactness),
  ]);
} finally {
  await stopAll();
}
