/**
 * What a proxy-cache hit costs: CPU time per request (utime + stime of every thread of the
 * proxy, from /proc, over each wrk run) and req/s of nginx proxying and answering from its
 * proxy_cache, the bare Node proxy, and Gatehouse proxying and answering from proxy-cache.
 * One proxy thread each (nginx 1 worker, GATEHOUSE_WORKERS=1), wrk on core 1 alone; the load
 * spreads over 1,000 URLs, all cached after the warm-up. Interleaved repetitions; the
 * figures are medians. Writes bench/results/cache-cost-<date>.md.
 *
 *   node bench/cache-cost.ts [--seconds 4] [--repetitions 3] [--warmup 3] [--connections 50]
 */
import { startBareProxy } from "./bare-proxy-process.ts";
import { writeResult } from "./compare.ts";
import { toolVersions } from "./environment.ts";
import { startGatehouse } from "./gatehouse.ts";
import { runWrkWithCpu } from "./load/wrk.ts";
import { loadOptions, say } from "./load-options.ts";
import { findNginx, startNginxProxy, startNginxUpstream } from "./nginx.ts";
import { CLOCK_TICKS, cpuSeconds, which } from "./processes.ts";
import { median } from "./report.ts";

const { seconds, repetitions, warmup, connections } = loadOptions({
  seconds: 4,
  repetitions: 3,
  warmup: 3,
  connections: 50,
});

const wrk = which("wrk");
const nginx = findNginx();
if (!wrk || !nginx || !which("taskset")) throw new Error("this bench needs wrk, nginx and taskset (util-linux)");

interface Target {
  label: string;
  url: string;
  pid: number;
  /** Microseconds of proxy CPU per request, and req/s, one per repetition. */
  cpuUs: number[];
  rps: number[];
  cacheHits: string;
}

const stops: (() => Promise<void>)[] = [];
async function stopAll(): Promise<void> {
  for (const stop of stops.splice(0).reverse()) await stop().catch((error) => say(`stop failed: ${error}`));
}
process.once("SIGINT", () => void stopAll().then(() => process.exit(130)));

/** The X-Cache-Status of one more request to a URL the load visited: HIT shows the cache is what was measured. */
async function cacheStatus(url: string): Promise<string> {
  const response = await fetch(`${url}/api0/users/1`);
  await response.arrayBuffer();
  return response.headers.get("x-cache-status") ?? "-";
}

try {
  const upstream = await startNginxUpstream(nginx);
  stops.push(upstream.stop);
  const targets: Target[] = [];
  const add = (label: string, url: string, pid: number) =>
    targets.push({ label, url, pid, cpuUs: [], rps: [], cacheHits: "" });
  const nginxProxy = await startNginxProxy(nginx, upstream.url, 1);
  stops.push(nginxProxy.stop);
  add("nginx proxy", nginxProxy.url, nginxProxy.pid);
  const nginxCache = await startNginxProxy(nginx, upstream.url, 1, true);
  stops.push(nginxCache.stop);
  add("nginx proxy_cache hit", nginxCache.url, nginxCache.pid);
  const bare = await startBareProxy(upstream.url, 1);
  stops.push(() => bare.child.stop());
  add("bare Node proxy", bare.url, bare.pid);
  for (const cached of [false, true]) {
    say(`Gatehouse ${cached ? "with proxy-cache" : "plain"}: seeding and starting`);
    const gatehouse = await startGatehouse(upstream.url, 1, {
      reloads: 0,
      cpuProfDir: null,
      label: cached ? "cache" : "plain",
      workers: 1,
      ...(cached ? { apiPolicy: { type: "proxy-cache", config: { ttlSeconds: 3600 } } } : {}),
    });
    stops.push(gatehouse.stop);
    add(cached ? "Gatehouse proxy-cache hit" : "Gatehouse proxied", gatehouse.url, gatehouse.pid);
  }

  const load = (target: Target, duration: number) =>
    runWrkWithCpu(wrk, { url: target.url, connections, threads: 1, seconds: duration, routes: 1 }, "1");
  say(`warming up each target for ${warmup} s`);
  for (const target of targets) await load(target, warmup);
  for (let rep = 1; rep <= repetitions; rep++) {
    for (const target of targets) {
      const cpu0 = cpuSeconds(target.pid);
      const result = await load(target, seconds);
      const cpu = cpuSeconds(target.pid) - cpu0;
      target.cpuUs.push((cpu / result.requests) * 1e6);
      target.rps.push(result.rps);
      say(`${rep}/${repetitions} ${target.label}: ${Math.round(result.rps)} req/s, ${result.errors} errors`);
    }
  }
  for (const target of targets) target.cacheHits = await cacheStatus(target.url);

  const byLabel = new Map(targets.map((t) => [t.label, median(t.cpuUs)]));
  const ratio = (a: string, b: string) => ((byLabel.get(a) as number) / (byLabel.get(b) as number)).toFixed(2);
  const versions = toolVersions(wrk, nginx);
  writeResult("cache-cost", "What a proxy-cache hit costs", [
    `- wrk ${versions.wrk}, nginx ${versions.nginx}, undici ${versions.undici}, CLK_TCK ${CLOCK_TICKS}`,
    `- one proxy thread each, wrk -t1 -c${connections} pinned to core 1, ${repetitions} × ${seconds} s after ${warmup} s of warm-up, 1,000 URLs`,
    "",
    "| target | CPU µs / request (median) | req/s (median) | X-Cache-Status after the load |",
    "|---|---|---|---|",
    ...targets.map(
      (t) => `| ${t.label} | ${median(t.cpuUs).toFixed(1)} | ${Math.round(median(t.rps))} | ${t.cacheHits} |`,
    ),
    "",
    `- Gatehouse hit / Gatehouse proxied: ${ratio("Gatehouse proxy-cache hit", "Gatehouse proxied")}`,
    `- Gatehouse hit / bare Node proxy: ${ratio("Gatehouse proxy-cache hit", "bare Node proxy")}`,
    `- Gatehouse hit / nginx proxy_cache hit: ${ratio("Gatehouse proxy-cache hit", "nginx proxy_cache hit")}`,
    `- nginx proxy_cache hit / nginx proxy: ${ratio("nginx proxy_cache hit", "nginx proxy")}`,
  ]);
} finally {
  await stopAll();
}
