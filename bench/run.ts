/**
 * `npm run bench`: Gatehouse against the floor (direct to the upstream), nginx as a proxy and
 * the thinnest Node proxy, interleaved A B C … A B C so machine drift cancels out. Prints the
 * report and writes it to bench/results/bench-<date>.md.
 *
 *   node bench/run.ts [--quick] [--help for the knobs]
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { unusedResultPath } from "./compare.ts";
import { machineLines, toolVersions } from "./environment.ts";
import { type GatehouseTarget, startGatehouse } from "./gatehouse.ts";
import { runNodeClosedLoop } from "./load/node-closed-loop.ts";
import { runOpenLoop } from "./load/open-loop.ts";
import type { LoadResult } from "./load/result.ts";
import { runWrk } from "./load/wrk.ts";
import { findNginx, startNginxProxy, startNginxUpstream } from "./nginx.ts";
import { parseOptions } from "./options.ts";
import { cpuSeconds, peakRss, startChild, which } from "./processes.ts";
import { type BenchReport, medianRps, renderReport, type TargetRuns } from "./report.ts";

const options = parseOptions(process.argv.slice(2));
const wrk = options.wrk ? which("wrk") : null;
const nginx = options.nginx ? findNginx() : null;
const versions = toolVersions(which("wrk"), findNginx());
const say = (line: string) => console.error(`bench: ${line}`);
if (!wrk)
  say(options.wrk ? "wrk not found: using the Node closed-loop client" : "--no-wrk: using the Node closed-loop client");

interface Target {
  key: string;
  label: string;
  url: string;
  proxyPid: number | null;
  routes: number;
  /** Measured in the fixed-rate phase too. */
  latency: boolean;
  /** Sent as `x-api-key` by the load, for targets behind key-auth. */
  apiKey?: string | null;
}

const stops: (() => Promise<void>)[] = [];
async function stopAll(): Promise<void> {
  for (const stop of stops.splice(0).reverse()) await stop().catch((error) => say(`stop failed: ${error}`));
}
process.once("SIGINT", () => void stopAll().then(() => process.exit(130)));

/** Starts a Node script of bench/ that prints "listening URL" and returns that URL. */
async function startNodeServer(script: string, args: string[], cpuProf = false): Promise<{ url: string; pid: number }> {
  const profile =
    cpuProf && options.cpuProfDir
      ? [
          "--cpu-prof",
          `--cpu-prof-dir=${options.cpuProfDir}`,
          `--cpu-prof-name=${path.basename(script, ".ts")}.cpuprofile`,
        ]
      : [];
  const child = startChild(process.execPath, [...profile, path.join(import.meta.dirname, script), ...args]);
  stops.push(() => child.stop());
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${script} did not start:\n${child.output()}`)), 10_000);
    child.process.stdout?.on("data", () => {
      const m = /listening (\S+)/.exec(child.output());
      if (m) {
        clearTimeout(timer);
        resolve(m[1] as string);
      }
    });
    child.process.once("exit", (code) => reject(new Error(`${script} exited with ${code}:\n${child.output()}`)));
  });
  return { url, pid: child.pid };
}

async function load(target: Target, seconds: number): Promise<LoadResult> {
  const run = { url: target.url, connections: options.connections, seconds, routes: target.routes };
  const apiKey = target.apiKey ?? undefined;
  return wrk
    ? runWrk(wrk, { ...run, threads: options.threads, apiKey })
    : runNodeClosedLoop({ ...run, headers: apiKey ? { "x-api-key": apiKey } : undefined });
}

/** One request of the shape the load sends must answer 200, or the figures would measure errors. */
async function check(target: Target): Promise<void> {
  const response = await fetch(`${target.url}/api${target.routes - 1}/users/1`, {
    headers: target.apiKey ? { "x-api-key": target.apiKey } : {},
  });
  const body = await response.text();
  if (response.status !== 200) throw new Error(`${target.label} answered ${response.status}: ${body}`);
}

const started = new Date();
const loadBefore = (await import("node:os")).loadavg();
const gatehouses: GatehouseTarget[] = [];
const targets: Target[] = [];
try {
  let upstream: { url: string; pid: number };
  if (nginx) {
    const instance = await startNginxUpstream(nginx);
    stops.push(instance.stop);
    upstream = instance;
    say(`upstream: nginx ${versions.nginx}, 1 worker, return 200 "ok" (${upstream.url})`);
  } else {
    upstream = await startNodeServer("upstream-server.ts", []);
    say(
      `upstream: nginx ${options.nginx ? "not found" : "off (--no-nginx)"}, using the Node server bench/upstream-server.ts (${upstream.url})`,
    );
  }
  targets.push({
    key: "direct",
    label: "direct to upstream",
    url: upstream.url,
    proxyPid: null,
    routes: 1,
    latency: true,
  });

  if (nginx) {
    const proxy = await startNginxProxy(nginx, upstream.url);
    stops.push(proxy.stop);
    targets.push({
      key: "nginx",
      label: "nginx proxy (1 worker)",
      url: proxy.url,
      proxyPid: proxy.pid,
      routes: 1,
      latency: true,
    });
  } else {
    say(`nginx ${options.nginx ? "not found" : "off (--no-nginx)"}: no nginx proxy target`);
  }

  const bare = await startNodeServer("bare-proxy.ts", [upstream.url], true);
  targets.push({ key: "bare", label: "bare Node proxy", url: bare.url, proxyPid: bare.pid, routes: 1, latency: true });

  const plain = [
    { key: "gatehouse", routes: 1, analyticsOff: false, label: "Gatehouse, 1 api, no policies" },
    {
      key: "gatehouse-no-analytics",
      routes: 1,
      analyticsOff: true,
      label: "Gatehouse, 1 api, no policies, analytics off",
    },
    {
      key: "gatehouse-large",
      routes: options.routes,
      analyticsOff: false,
      label: `Gatehouse, ${options.routes.toLocaleString("en-US")} routes`,
    },
  ];
  for (const { key, routes, analyticsOff, label } of plain) {
    say(`Gatehouse: seeding ${routes} route(s) through the Admin API and starting the gateway`);
    const gatehouse = await startGatehouse(upstream.url, routes, {
      reloads: options.quick ? 3 : 5,
      cpuProfDir: options.cpuProfDir,
      label: key,
      analyticsOff,
    });
    stops.push(gatehouse.stop);
    // The in-process compile times of the two one-route gateways are alike: report them once.
    if (!analyticsOff) gatehouses.push(gatehouse);
    targets.push({ key, label, url: gatehouse.url, proxyPid: gatehouse.pid, routes, latency: key === "gatehouse" });
  }

  for (const keys of [100, options.keys]) {
    const count = keys.toLocaleString("en-US");
    say(`Gatehouse: key-auth + rate-limit with ${count} keys, seeding and starting the gateway`);
    const gatehouse = await startGatehouse(upstream.url, 1, {
      reloads: options.quick ? 3 : 5,
      cpuProfDir: options.cpuProfDir,
      label: `policies-${keys}-keys`,
      policies: true,
      keys,
    });
    stops.push(gatehouse.stop);
    gatehouses.push(gatehouse);
    targets.push({
      key: keys === 100 ? "policies" : "policies-keys",
      label: `Gatehouse, key-auth + rate-limit + analytics, ${count} keys`,
      url: gatehouse.url,
      proxyPid: gatehouse.pid,
      routes: 1,
      latency: false,
      apiKey: gatehouse.apiKey,
    });
  }

  for (const target of targets) await check(target);
  const runs = new Map<string, TargetRuns>(
    targets.map((t) => [
      t.key,
      { key: t.key, label: t.label, proxyPid: t.proxyPid, runs: [], latency: [], peakRssBytes: null },
    ]),
  );

  say(`warming up each target for ${options.warmup} s`);
  for (const target of targets) await load(target, options.warmup);

  for (let rep = 1; rep <= options.repetitions; rep++) {
    for (const target of targets) {
      const cpu0 = target.proxyPid === null ? 0 : cpuSeconds(target.proxyPid);
      const result = await load(target, options.duration);
      const cpu = target.proxyPid === null ? null : cpuSeconds(target.proxyPid) - cpu0;
      (runs.get(target.key) as TargetRuns).runs.push({ ...result, cpuSeconds: cpu });
      say(
        `load ${rep}/${options.repetitions} ${target.label}: ${Math.round(result.rps)} req/s, p99 ${result.p99Ms.toFixed(2)} ms`,
      );
    }
  }

  const gatehouseMax = medianRps(runs.get("gatehouse"));
  const rate = Math.max(1, Math.round(gatehouseMax / 2));
  // In bench-2026-11-23.md the first fixed-rate run of every target, direct included, had a p99
  // tens of ms above its later runs; each now gets a warm-up at the rate, as the full load does.
  say(`warming up each target at ${rate} req/s for ${options.warmup} s`);
  for (const target of targets.filter((t) => t.latency)) {
    await runOpenLoop({
      url: target.url,
      rps: rate,
      seconds: options.warmup,
      connections: options.connections,
      routes: target.routes,
    });
  }
  for (let rep = 1; rep <= options.repetitions; rep++) {
    for (const target of targets.filter((t) => t.latency)) {
      const result = await runOpenLoop({
        url: target.url,
        rps: rate,
        seconds: options.latencyDuration,
        connections: options.connections,
        routes: target.routes,
      });
      (runs.get(target.key) as TargetRuns).latency.push(result);
      say(
        `rate ${rep}/${options.repetitions} ${target.label}: p50 ${result.p50Ms.toFixed(3)} ms, p99 ${result.p99Ms.toFixed(3)} ms`,
      );
    }
  }
  for (const target of targets) {
    if (target.proxyPid !== null) (runs.get(target.key) as TargetRuns).peakRssBytes = peakRss(target.proxyPid);
  }

  const argv = process.argv.slice(2).join(" ");
  const report: BenchReport = {
    date: started,
    // `npm run bench -- ARGS` runs exactly this.
    command: `node bench/run.ts${argv ? ` ${argv}` : ""}`,
    quick: options.quick,
    machine: [
      ...machineLines(versions),
      `load average (1 min) before: ${loadBefore[0]?.toFixed(2)}, after: ${(await import("node:os")).loadavg()[0]?.toFixed(2)}`,
    ],
    method: [
      `upstream: ${nginx ? 'nginx, 1 worker, `return 200 "ok"`' : `Node (bench/upstream-server.ts), nginx ${options.nginx ? "not installed" : "not used (--no-nginx)"}`}`,
      `full load: ${wrk ? `wrk -t${options.threads} -c${options.connections} -d${options.duration}s --latency -s bench/load/spread.lua` : `wrk ${options.wrk ? "not installed" : "not used (--no-wrk)"}: the Node closed-loop client (bench/load/node-closed-loop.ts), ${options.connections} connections, ${options.duration} s`}; ` +
        `${options.repetitions} repetitions per target, interleaved, after a ${options.warmup} s warm-up each`,
      `requests spread over /apiN/users/ID for every route of the target (1 route for all but the large config)`,
      `fixed rate: wrk2 is not in Debian, so bench/load/open-loop.ts (undici, ${options.connections} connections, ` +
        `sends on schedule whether or not earlier requests answered, latency from send to end of body), ` +
        `${options.latencyDuration} s per run after a ${options.warmup} s warm-up at the same rate; it runs in the harness process and shares the CPUs, so its absolute ` +
        `figures include its own overhead; the added latency (target minus direct) is the figure to read`,
      ...(options.cpuProfDir
        ? ["the gateways ran with --cpu-prof: their figures include the profiler's overhead"]
        : []),
      "proxy CPU: utime + stime of the proxy process (nginx: master + worker) from /proc over each run, divided by its requests; " +
        "peak RSS: VmHWM at the end of the whole run",
    ],
    targets: [...runs.values()],
    latencyRps: rate,
    compile: gatehouses.map((g) => ({ routes: g.routes, keys: g.keys, times: g.compile })),
    pending: [
      "Save-to-enforced p99 ≤ 100 ms with 10,000 routes: `node bench/reload-latency.ts 100 10000 api|route` " +
        "(bench/results/reload-latency-10000-routes*.md); RSS flat over 10 minutes: bench/soak.ts (bench/results/soak.md); " +
        "live-chart lag: bench/live-lag.ts (bench/results/live-lag.md).",
    ],
  };
  const text = renderReport(report);
  console.log(text);
  const file = options.out ?? unusedResultPath(options.quick ? "bench-quick" : "bench", started);
  writeFileSync(file, text);
  say(`written to ${path.relative(process.cwd(), file)}`);
  if (options.cpuProfDir)
    say(`gateway and bare proxy CPU profiles will be in ${options.cpuProfDir} once the gateways exit`);
} finally {
  await stopAll();
}
