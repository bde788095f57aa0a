import { parseArgs } from "node:util";

export interface BenchOptions {
  /** Measured runs per target, interleaved A B C … A B C. */
  repetitions: number;
  /** Seconds per measured run at full load. */
  duration: number;
  /** Seconds per warm-up run, once per target before the first repetition. */
  warmup: number;
  connections: number;
  /** wrk threads (the load generator shares the machine with what it measures). */
  threads: number;
  /** Routes of the large-config Gatehouse target. */
  routes: number;
  /** API keys of the many-keys Gatehouse target (key-auth + rate-limit). */
  keys: number;
  /** Seconds per run of the fixed-rate latency phase. */
  latencyDuration: number;
  quick: boolean;
  /** Directory for the gateways' V8 CPU profiles (`--cpu-prof`), or null. */
  cpuProfDir: string | null;
  /** Use wrk / nginx when installed; `--no-wrk`, `--no-nginx` exercise the fallbacks. */
  wrk: boolean;
  nginx: boolean;
  /** Where the markdown report goes, or null for bench/results/bench-<date>[-quick].md. */
  out: string | null;
}

const USAGE = `node bench/run.ts [--quick] [--repetitions 5] [--duration 10] [--warmup 3] [--connections 50]
                   [--threads 2] [--routes 10000] [--keys 1000000] [--latency-duration 8] [--cpu-prof DIR] [--out FILE] [--no-wrk] [--no-nginx]`;

/** `--quick` is 2 repetitions of 3 s for checking the harness; the defaults are the real run (~8 min). */
export function parseOptions(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    allowNegative: true,
    options: {
      quick: { type: "boolean", default: false },
      repetitions: { type: "string" },
      duration: { type: "string" },
      warmup: { type: "string" },
      connections: { type: "string", default: "50" },
      threads: { type: "string", default: "2" },
      routes: { type: "string", default: "10000" },
      keys: { type: "string" },
      "latency-duration": { type: "string" },
      "cpu-prof": { type: "string" },
      out: { type: "string" },
      wrk: { type: "boolean", default: true },
      nginx: { type: "boolean", default: true },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const quick = values.quick;
  const num = (value: string | undefined, fallback: number, name: string) => {
    const n = Number(value ?? fallback);
    if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number\n${USAGE}`);
    return n;
  };
  return {
    quick,
    repetitions: num(values.repetitions, quick ? 2 : 5, "repetitions"),
    duration: num(values.duration, quick ? 3 : 10, "duration"),
    warmup: num(values.warmup, quick ? 1 : 3, "warmup"),
    connections: num(values.connections, 50, "connections"),
    threads: num(values.threads, 2, "threads"),
    routes: num(values.routes, 10_000, "routes"),
    keys: num(values.keys, quick ? 10_000 : 1_000_000, "keys"),
    latencyDuration: num(values["latency-duration"], quick ? 3 : 8, "latency-duration"),
    cpuProfDir: values["cpu-prof"] ?? null,
    out: values.out ?? null,
    wrk: values.wrk,
    nginx: values.nginx,
  };
}
