import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { CLOCK_TICKS } from "../processes.ts";
import type { LoadResult } from "./result.ts";

const run = promisify(execFile);
const SCRIPT = path.join(import.meta.dirname, "spread.lua");

export interface WrkRun {
  url: string;
  connections: number;
  threads: number;
  seconds: number;
  /** Routes the paths are spread over (/api0 … /api<routes-1>). */
  routes: number;
  /** Sent as `x-api-key` on every request. */
  apiKey?: string;
}

export function wrkArgs(options: WrkRun): string[] {
  return [
    `-t${Math.min(options.threads, options.connections)}`,
    `-c${options.connections}`,
    `-d${options.seconds}s`,
    "--latency",
    "-s",
    SCRIPT,
    options.url,
    "--",
    String(options.routes),
    ...(options.apiKey ? [options.apiKey] : []),
  ];
}

export async function runWrk(binary: string, options: WrkRun): Promise<LoadResult> {
  const { stdout } = await run(binary, wrkArgs(options), { maxBuffer: 1 << 20 });
  return parseWrk(stdout);
}

/**
 * wrk under a shell that, once wrk has exited and been waited for, prints its own
 * /proc/<pid>/stat: wrk's CPU is then the shell's cutime + cstime. With `cpus`, wrk runs under
 * `taskset -c cpus`.
 */
export async function runWrkWithCpu(
  binary: string,
  options: WrkRun,
  cpus: string | null,
): Promise<LoadResult & { loadCpuSeconds: number }> {
  const command = [...(cpus ? ["taskset", "-c", cpus] : []), binary, ...wrkArgs(options)];
  const { stdout } = await run("sh", ["-c", '"$@" && cat /proc/$$/stat', "sh", ...command], { maxBuffer: 1 << 20 });
  const stat = stdout.trimEnd().split("\n").at(-1) as string;
  // Fields after the parenthesised command name; cutime and cstime are fields 16 and 17.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return { ...parseWrk(stdout), loadCpuSeconds: (Number(fields[13]) + Number(fields[14])) / CLOCK_TICKS };
}

const UNIT_MS: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000 };

function duration(text: string | undefined, what: string): number {
  const m = /^([\d.]+)(us|ms|s|m)$/.exec(text ?? "");
  if (!m) throw new Error(`wrk output has no ${what}`);
  return Number(m[1]) * (UNIT_MS[m[2] as string] as number);
}

/** Reads wrk 4's summary: totals, the --latency distribution, and every kind of error it counts. */
export function parseWrk(out: string): LoadResult {
  const total = /(\d+) requests in ([\d.]+)(us|ms|s|m)/.exec(out);
  if (!total) throw new Error(`unexpected wrk output:\n${out}`);
  const requests = Number(total[1]);
  const seconds = duration(`${total[2]}${total[3]}`, "duration") / 1000;
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  const socketErrors = socket ? socket.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0;
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0);
  return {
    requests,
    seconds,
    rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? requests / seconds),
    p50Ms: duration(/^\s+50%\s+(\S+)/m.exec(out)?.[1], "p50"),
    p99Ms: duration(/^\s+99%\s+(\S+)/m.exec(out)?.[1], "p99"),
    errors: socketErrors + non2xx,
  };
}
