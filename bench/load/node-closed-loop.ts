import { Pool } from "undici";
import { type LoadResult, percentile, spreadPaths } from "./result.ts";

/**
 * The fallback when wrk is not installed: `connections` loops that each send the next request
 * as soon as the last one answered, over one undici Pool. Slower than wrk, and it shares the
 * harness's process, so its ceiling is lower: compare its figures only with each other.
 */
export async function runNodeClosedLoop(options: {
  url: string;
  connections: number;
  seconds: number;
  routes: number;
  headers?: Record<string, string>;
}): Promise<LoadResult> {
  const pool = new Pool(options.url, { connections: options.connections, pipelining: 1 });
  const paths = spreadPaths(options.routes);
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  const t0 = performance.now();
  const end = t0 + options.seconds * 1000;
  const loop = async () => {
    while (performance.now() < end) {
      const path = paths[next++ % paths.length] as string;
      const start = performance.now();
      try {
        const response = await pool.request({ path, method: "GET", headers: options.headers });
        await response.body.dump();
        if (response.statusCode >= 400) errors++;
      } catch {
        errors++;
      }
      latencies.push(performance.now() - start);
    }
  };
  await Promise.all(Array.from({ length: options.connections }, loop));
  const seconds = (performance.now() - t0) / 1000;
  await pool.close();
  const sorted = Float64Array.from(latencies).sort();
  return {
    requests: latencies.length,
    seconds,
    rps: latencies.length / seconds,
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
    errors,
  };
}
