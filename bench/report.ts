import type { CompileTimes } from "./gatehouse.ts";
import type { OpenLoopResult } from "./load/open-loop.ts";
import type { LoadResult } from "./load/result.ts";

export interface TargetRuns {
  key: string;
  label: string;
  /** Whose CPU and RSS are read: null for "direct", which has no proxy. */
  proxyPid: number | null;
  runs: (LoadResult & { cpuSeconds: number | null })[];
  latency: OpenLoopResult[];
  peakRssBytes: number | null;
}

export interface BenchReport {
  date: Date;
  command: string;
  quick: boolean;
  machine: string[];
  method: string[];
  targets: TargetRuns[];
  latencyRps: number | null;
  compile: { routes: number; keys: number; times: CompileTimes }[];
  pending: string[];
}

export const median = (values: readonly number[]): number => {
  if (values.length === 0) return Number.NaN;
  const sorted = values.toSorted((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};

/** The nearest-rank p-th percentile (0 < p ≤ 100) of unsorted values. */
export const percentile = (values: readonly number[], p: number): number => {
  const sorted = values.toSorted((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
};

const fixed = (n: number | null | undefined, digits = 2) =>
  n === null || n === undefined || Number.isNaN(n) ? "—" : n.toFixed(digits);
const int = (n: number) => (Number.isNaN(n) ? "—" : Math.round(n).toLocaleString("en-US"));
const table = (head: string[], rows: string[][]) =>
  [`| ${head.join(" | ")} |`, `|${head.map(() => "---").join("|")}|`, ...rows.map((r) => `| ${r.join(" | ")} |`)].join(
    "\n",
  );

const cpuPerRequestUs = (run: TargetRuns["runs"][number]) =>
  run.cpuSeconds === null ? Number.NaN : (run.cpuSeconds / run.requests) * 1e6;

export const medianRps = (target: TargetRuns | undefined) =>
  target ? median(target.runs.map((r) => r.rps)) : Number.NaN;
const medianLatency = (target: TargetRuns | undefined, key: "p50Ms" | "p99Ms") =>
  target && target.latency.length > 0 ? median(target.latency.map((r) => r[key])) : Number.NaN;

/**
 * A over B in req/s, one ratio per round when both ran every round (a round loads every target
 * once, so slow drift on the machine hits both sides of each ratio alike), else the one ratio of
 * the medians.
 */
const roundRatios = (a: TargetRuns | undefined, b: TargetRuns | undefined): number[] => {
  if (a === undefined || b === undefined) return [];
  if (a.runs.length === 0 || a.runs.length !== b.runs.length) return [medianRps(a) / medianRps(b)];
  return a.runs.map((run, i) => run.rps / (b.runs[i] as (typeof b.runs)[number]).rps);
};

/**
 * A ratio check: the median against the floor, with the rounds' spread beside it, since on a
 * shared host one round can land on either side of a target the median misses by a little.
 */
function ratioCheck(
  what: string,
  a: TargetRuns | undefined,
  b: TargetRuns | undefined,
  floor: number,
  target: string,
): Check {
  const ratios = roundRatios(a, b);
  const measured = ratios.length === 0 ? Number.NaN : median(ratios);
  if (Number.isNaN(measured)) return { what, measured: "n/a (not run)", target, met: null };
  const low = Math.min(...ratios);
  const high = Math.max(...ratios);
  const spread = ratios.length > 1 ? `, rounds ${fixed(low)}–${fixed(high)}` : "";
  const straddles = low < floor && high >= floor ? " (rounds on both sides)" : "";
  return { what, measured: `${fixed(measured)}×${spread}${straddles}`, target, met: measured >= floor };
}

/** A's latency minus B's at the fixed rate, paired by round the same way. */
const addedLatency = (a: TargetRuns | undefined, b: TargetRuns | undefined, key: "p50Ms" | "p99Ms"): number => {
  if (a === undefined || b === undefined) return Number.NaN;
  if (a.latency.length === 0 || a.latency.length !== b.latency.length) {
    return medianLatency(a, key) - medianLatency(b, key);
  }
  return median(a.latency.map((run, i) => run[key] - (b.latency[i] as (typeof b.latency)[number])[key]));
};

/** The open-loop client sends on 1 ms ticks, so up to ~1 ms of lag is its design; more is contention. */
const MAX_CLIENT_LAG_MS = 2;
const medianLag = (target: TargetRuns | undefined) =>
  target && target.latency.length > 0 ? median(target.latency.map((r) => r.lagP99Ms)) : Number.NaN;

interface Check {
  what: string;
  measured: string;
  target: string;
  met: boolean | null;
}

function checks(report: BenchReport): Check[] {
  const by = (key: string) => report.targets.find((t) => t.key === key);
  const gatehouse = by("gatehouse");
  const status = (value: number, ok: (r: number) => boolean) => (Number.isNaN(value) ? null : ok(value));
  const nginx = by("nginx");
  const addedP99 = addedLatency(gatehouse, by("direct"), "p99Ms");
  // Past this the client itself was late (CPU contention), and its p99 is its own, not the target's.
  const lag = Math.max(medianLag(by("gatehouse")), medianLag(by("direct")));
  const lagOk = lag <= MAX_CLIENT_LAG_MS;
  const largeCompile = report.compile.find((c) => c.routes > 1);
  const policies = by("policies");
  const manyKeysCompile = report.compile.reduce<(typeof report.compile)[number] | undefined>(
    (most, c) => (c.keys > (most?.keys ?? 0) ? c : most),
    undefined,
  );
  const keyCount = manyKeysCompile?.keys.toLocaleString("en-US") ?? "1,000,000";
  const compileMs = largeCompile
    ? median(largeCompile.times.compileMs) + median(largeCompile.times.loadMs)
    : Number.NaN;
  const routes = largeCompile?.routes.toLocaleString("en-US") ?? "10,000";
  const manyKeys = by("policies-keys");
  return [
    ratioCheck(
      "Gatehouse (1 api, no policies) / bare Node proxy, req/s",
      gatehouse,
      by("bare"),
      0.85,
      "≥ 0.85× (the issue sets it with key-auth + rate-limit + analytics)",
    ),
    ratioCheck("Gatehouse (1 api, no policies) / nginx proxy, req/s", gatehouse, nginx, 0.35, "≥ 0.35× (same)"),
    ratioCheck(
      `Gatehouse ${routes} routes / 1 route, req/s`,
      by("gatehouse-large"),
      gatehouse,
      0.95,
      "≥ 0.95× (within 5%)",
    ),
    {
      what: `Added p99 over direct at 50% of Gatehouse's max (${int(report.latencyRps ?? Number.NaN)} req/s)`,
      measured: `${fixed(addedP99)} ms${lagOk ? "" : ` (unreliable: client lag p99 ${fixed(lag, 1)} ms)`}`,
      target: "≤ 1 ms",
      met: lagOk ? status(addedP99, (ms) => ms <= 1) : null,
    },
    ratioCheck(
      "Gatehouse (key-auth + rate-limit + analytics) / bare Node proxy, req/s",
      policies,
      by("bare"),
      0.85,
      "≥ 0.85×",
    ),
    ratioCheck("Gatehouse (key-auth + rate-limit + analytics) / nginx proxy, req/s", policies, nginx, 0.35, "≥ 0.35×"),
    ratioCheck(
      "Gatehouse with analytics / the same with GATEHOUSE_ANALYTICS=off (1 api, no policies), req/s",
      gatehouse,
      by("gatehouse-no-analytics"),
      0.95,
      "≥ 0.95× (analytics costs at most 5%)",
    ),
    ratioCheck(
      `Gatehouse key-auth with ${keyCount} keys / 100 keys, req/s`,
      manyKeys,
      policies,
      0.95,
      "≥ 0.95× (within 5%)",
    ),
    {
      what: `${keyCount} keys: start-up to ready (process spawn to /readyz)`,
      measured: `${fixed((manyKeysCompile?.times.startupMs ?? Number.NaN) / 1000, 1)} s`,
      target: "< 10 s",
      met: status(manyKeysCompile?.times.startupMs ?? Number.NaN, (ms) => ms < 10_000),
    },
    {
      what: `${keyCount} keys: gateway peak RSS`,
      measured: `${fixed((manyKeys?.peakRssBytes ?? Number.NaN) / 1e6, 0)} MB`,
      target: "< 512 MB",
      met: status(manyKeys?.peakRssBytes ?? Number.NaN, (bytes) => bytes < 512e6),
    },
    {
      what: `${routes} routes: load + compile (in process, median)`,
      measured: `${fixed(compileMs, 0)} ms`,
      target: "< 200 ms",
      met: status(compileMs, (ms) => ms < 200),
    },
  ];
}

/** The whole report as markdown; the same text is printed and written to bench/results/. */
export function renderReport(report: BenchReport): string {
  const by = (key: string) => report.targets.find((t) => t.key === key);
  const direct = by("direct");
  const out: string[] = [];
  out.push(`# Gatehouse benchmark${report.quick ? " (quick run: a harness check, not a measurement)" : ""}`, "");
  out.push(`${report.date.toISOString()}, command: \`${report.command}\``, "");
  out.push(...report.machine.map((line) => `- ${line}`), "");
  out.push(...report.method.map((line) => `- ${line}`), "");

  out.push(
    "## Ratios and the issue's targets",
    "",
    "Each ratio is the median of its per-round ratios, and each added latency the median of its per-round differences: a round loads every target once, so drift on the machine hits both sides alike.",
    "",
  );
  out.push(
    table(
      ["ratio", "measured", "target", "status"],
      checks(report).map((c) => [c.what, c.measured, c.target, c.met === null ? "—" : c.met ? "met" : "not met"]),
    ),
    "",
  );
  out.push("Not measured here:", "", ...report.pending.map((line) => `- ${line}`), "");

  out.push("## Full load (closed loop), medians over repetitions", "");
  out.push(
    table(
      ["target", "req/s", "min–max req/s", "p50 ms", "p99 ms", "proxy CPU µs/req", "proxy peak RSS MB", "errors"],
      report.targets.map((t) => {
        const rps = t.runs.map((r) => r.rps);
        return [
          t.label,
          int(median(rps)),
          `${int(Math.min(...rps))}–${int(Math.max(...rps))}`,
          fixed(median(t.runs.map((r) => r.p50Ms))),
          fixed(median(t.runs.map((r) => r.p99Ms))),
          t.proxyPid === null ? "—" : fixed(median(t.runs.map(cpuPerRequestUs)), 1),
          t.peakRssBytes === null ? "—" : fixed(t.peakRssBytes / 2 ** 20, 0),
          String(t.runs.reduce((sum, r) => sum + r.errors, 0)),
        ];
      }),
    ),
    "",
  );

  if (report.latencyRps !== null) {
    out.push(`## Fixed rate: ${int(report.latencyRps)} req/s (50% of Gatehouse's max), medians over repetitions`, "");
    out.push(
      table(
        ["target", "sent req/s", "p50 ms", "p99 ms", "added p50 ms", "added p99 ms", "client lag p99 ms", "errors"],
        report.targets
          .filter((t) => t.latency.length > 0)
          .map((t) => [
            t.label,
            int(median(t.latency.map((r) => r.sentRps))),
            fixed(medianLatency(t, "p50Ms"), 3),
            fixed(medianLatency(t, "p99Ms"), 3),
            t === direct ? "—" : fixed(addedLatency(t, direct, "p50Ms"), 3),
            t === direct ? "—" : fixed(addedLatency(t, direct, "p99Ms"), 3),
            fixed(median(t.latency.map((r) => r.lagP99Ms)), 3),
            String(t.latency.reduce((sum, r) => sum + r.errors, 0)),
          ]),
      ),
      "",
    );
  }

  out.push("## Config compile", "");
  out.push(
    table(
      [
        "routes",
        "keys",
        "start-up to ready ms",
        "save-to-live ms, median (max)",
        "load ms (median)",
        "compile ms (median)",
      ],
      report.compile.map(({ routes, keys, times }) => [
        routes.toLocaleString("en-US"),
        keys.toLocaleString("en-US"),
        fixed(times.startupMs, 0),
        `${fixed(median(times.saveToLiveMs), 1)} (${fixed(Math.max(...times.saveToLiveMs), 1)})`,
        fixed(median(times.loadMs), 1),
        fixed(median(times.compileMs), 1),
      ]),
    ),
    "",
    "Start-up includes Node's own start; save-to-live is from the Admin API's answer to /readyz showing the " +
      "revision (the gateway checks config.db on its file events, then every 10 ms for 1 s); load and compile are the gateway's own " +
      "`loadSnapshot` and `compileConfig` timed in the harness process on the same config.db.",
    "",
  );

  out.push("## Raw runs", "");
  const rows: string[][] = [];
  for (const t of report.targets) {
    t.runs.forEach((r, i) => {
      rows.push([
        t.label,
        `load ${i + 1}`,
        int(r.rps),
        fixed(r.p50Ms),
        fixed(r.p99Ms),
        fixed(r.cpuSeconds, 2),
        fixed(cpuPerRequestUs(r), 1),
        String(r.errors),
      ]);
    });
    t.latency.forEach((r, i) => {
      rows.push([
        t.label,
        `rate ${i + 1}`,
        int(r.sentRps),
        fixed(r.p50Ms, 3),
        fixed(r.p99Ms, 3),
        "",
        "",
        String(r.errors),
      ]);
    });
  }
  out.push(table(["target", "run", "req/s", "p50 ms", "p99 ms", "proxy CPU s", "CPU µs/req", "errors"], rows), "");
  return out.join("\n");
}
