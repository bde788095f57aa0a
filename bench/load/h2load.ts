import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { CLOCK_TICKS } from "../processes.ts";

const run = promisify(execFile);

export interface H2loadRun {
  url: string;
  requests: number;
  clients: number;
  /** Concurrent streams per connection; with `h1`, 1 (more would pipeline, which no browser does). */
  streams: number;
  /** HTTP/1.1 over the same TLS (`--h1`) instead of HTTP/2. */
  h1: boolean;
}

export interface H2loadResult {
  /** What ALPN settled on, TLS version and key exchange, as h2load reports them (`h2 TLSv1.3 X25519`). */
  protocol: string;
  succeeded: number;
  /** Requests that failed, errored or timed out, plus answers that were not 2xx. */
  errors: number;
  seconds: number;
  rps: number;
  loadCpuSeconds: number;
}

/** h2load -t1 under `taskset -c cpus`, its CPU read as in `runWrkWithCpu` (the shell's cutime + cstime). */
export async function runH2loadWithCpu(binary: string, options: H2loadRun, cpus: string): Promise<H2loadResult> {
  const args = [
    "-t1",
    `-n${options.requests}`,
    `-c${options.clients}`,
    `-m${options.h1 ? 1 : options.streams}`,
    ...(options.h1 ? ["--h1"] : []),
    options.url,
  ];
  const command = ["taskset", "-c", cpus, binary, ...args];
  const { stdout } = await run("sh", ["-c", '"$@" && cat /proc/$$/stat', "sh", ...command], { maxBuffer: 1 << 20 });
  const stat = stdout.trimEnd().split("\n").at(-1) as string;
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return { ...parseH2load(stdout), loadCpuSeconds: (Number(fields[13]) + Number(fields[14])) / CLOCK_TICKS };
}

const UNIT_S: Record<string, number> = { us: 1e-6, ms: 1e-3, s: 1 };

/** Reads h2load's summary: `finished in 1.2s, 8000.00 req/s`, the request counts and the status classes. */
export function parseH2load(out: string): Omit<H2loadResult, "loadCpuSeconds"> {
  const finished = /finished in ([\d.]+)(us|ms|s), ([\d.]+) req\/s/.exec(out);
  const counts =
    /requests: \d+ total, \d+ started, \d+ done, (\d+) succeeded, (\d+) failed, (\d+) errored, (\d+) timeout/.exec(out);
  const status = /status codes: (\d+) 2xx, (\d+) 3xx, (\d+) 4xx, (\d+) 5xx/.exec(out);
  if (!finished || !counts || !status) throw new Error(`unexpected h2load output:\n${out}`);
  const not2xx = Number(status[2]) + Number(status[3]) + Number(status[4]);
  return {
    protocol: [/Application protocol: (\S+)/, /TLS Protocol: (\S+)/, /Server Temp Key: (\S+)/]
      .map((pattern) => pattern.exec(out)?.[1] ?? "?")
      .join(" "),
    succeeded: Number(counts[1]),
    errors: Number(counts[2]) + Number(counts[3]) + Number(counts[4]) + not2xx,
    seconds: Number(finished[1]) * (UNIT_S[finished[2] as string] as number),
    rps: Number(finished[3]),
  };
}
