import type { LoadResult } from "./load/result.ts";
import { median } from "./report.ts";

export interface CpuRun extends LoadResult {
  /** The proxy's utime + stime over the run: every thread, nginx's master and workers. */
  proxyCpuSeconds: number;
  /** wrk's, read after it exited. */
  loadCpuSeconds: number;
  /** The upstream nginx's, which every target shares. */
  upstreamCpuSeconds: number;
}

export interface CpuTarget {
  key: "nginx" | "bare" | "plain" | "full";
  label: string;
  /** nginx worker processes, bare proxy threads, GATEHOUSE_WORKERS. */
  workers: number;
  runs: CpuRun[];
}

const us = (seconds: number, run: LoadResult) => (seconds / run.requests) * 1e6;
const proxyUs = (run: CpuRun) => us(run.proxyCpuSeconds, run);
const med = (target: CpuTarget, value: (run: CpuRun) => number) => median(target.runs.map(value));
const fixed = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : "—");

/** A over B, one ratio per round (both ran in each, back to back), as median and range. */
function ratio(a: CpuTarget, b: CpuTarget, value: (run: CpuRun) => number): { median: number; text: string } {
  const ratios = a.runs.map((run, i) => value(run) / value(b.runs[i] as CpuRun));
  const m = median(ratios);
  const range = ratios.length > 1 ? ` (rounds ${fixed(Math.min(...ratios), 2)}–${fixed(Math.max(...ratios), 2)})` : "";
  return { median: m, text: `${fixed(m, 2)}×${range}` };
}

const verdict = (met: boolean) => (met ? "met" : "not met");

export function cpuReportLines(report: {
  targets: CpuTarget[];
  seconds: number;
  repetitions: number;
  warmup: number;
  connections: number;
}): string[] {
  const find = (key: CpuTarget["key"], workers: number) =>
    report.targets.find((t) => t.key === key && t.workers === workers) as CpuTarget;
  const rows = report.targets.map((t) => {
    const errors = t.runs.reduce((sum, r) => sum + r.errors, 0);
    return `| ${t.label} | ${t.workers} | ${Math.round(med(t, (r) => r.rps))} | ${fixed(med(t, proxyUs))} | ${fixed(
      med(t, (r) => r.proxyCpuSeconds / r.seconds),
      2,
    )} | ${fixed(med(t, (r) => us(r.loadCpuSeconds, r)))} | ${fixed(
      med(t, (r) => r.loadCpuSeconds / r.seconds),
      2,
    )} | ${fixed(med(t, (r) => us(r.upstreamCpuSeconds, r)))} | ${errors} |`;
  });

  const overBare = [1, 2].map((w) => {
    const r = ratio(find("full", w), find("bare", w), proxyUs);
    return `| Gatehouse full / bare proxy, CPU per request, ${w} worker${w > 1 ? "s" : ""} | ${r.text} | ≤ 1.10× | ${verdict(r.median <= 1.1)} |`;
  });
  const growth = (["nginx", "bare", "plain", "full"] as const).map((key) => {
    const r = ratio(find(key, 2), find(key, 1), proxyUs);
    return `| ${find(key, 1).label}: 2 workers / 1 worker, CPU per request | ${r.text} | ≤ 1.05× | ${verdict(r.median <= 1.05)} |`;
  });
  const perCore = (["plain", "full"] as const).flatMap((key) =>
    [1, 2].map((w) => {
      // Same number of workers on both sides, so req/s per worker divides to req/s.
      const rps = ratio(find(key, w), find("nginx", w), (r) => r.rps / w);
      const perCpu = ratio(find(key, w), find("nginx", w), (r) => 1 / proxyUs(r));
      return `| ${find(key, w).label} / nginx, ${w} worker${w > 1 ? "s" : ""} | ${rps.text} | ${perCpu.text} | ≥ 0.45× | ${verdict(rps.median >= 0.45)} |`;
    }),
  );

  return [
    "## Method",
    "",
    `- wrk, ${report.connections} connections, 1 route, ${report.repetitions} × ${report.seconds} s per target, ` +
      `interleaved (every target once per round), after a ${report.warmup} s warm-up each; upstream: nginx, 1 worker, \`return 200 "ok"\``,
    "- 1-worker targets: `taskset -c 1 wrk -t1`, so the proxy has core 0 mostly to itself; 2-worker targets: `wrk -t2` on both cores",
    "- proxy CPU: utime + stime from /proc/<pid>/stat (all threads; nginx: master + workers) before and after each run, " +
      "divided by wrk's request count; wrk's from its shell's cutime + cstime once it exited; the upstream's the same way as the proxy's",
    "- cores busy: CPU seconds over the run's wall seconds; medians over the rounds",
    "- GATEHOUSE_WORKERS is passed to the gateway; a gateway without proxy workers ignores it and runs one thread, " +
      "so its 2-worker rows then measure the same gateway twice",
    "",
    "## CPU per request",
    "",
    "| target | workers | req/s | proxy µs CPU / req | proxy cores busy | wrk µs CPU / req | wrk cores busy | upstream µs CPU / req | errors |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ...rows,
    "",
    "## Ratios",
    "",
    "| ratio | measured | target | |",
    "| --- | --- | --- | --- |",
    ...overBare,
    ...growth,
    "",
    "Per-core throughput against nginx per core: req/s per worker, Gatehouse over nginx at the same " +
      "number of workers; beside it requests per CPU-second (1 / CPU per request), which does not depend " +
      "on how the 2 cores were shared with wrk and the upstream.",
    "",
    "| ratio | req/s per worker | requests per CPU-second | target (req/s per worker) | |",
    "| --- | --- | --- | --- | --- |",
    ...perCore,
  ];
}
