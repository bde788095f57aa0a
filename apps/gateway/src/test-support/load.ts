import { Pool } from "undici";

export interface LoadOptions {
  headers?: Record<string, string>;
  /** Called after each answer with how many have come back. */
  onEach?: (done: number) => void;
}

/**
 * Sends `count` GETs of `path` over `connections` keep-alive connections, as fast as they
 * go; resolves to the statuses in the order they came back (0 for a request that failed).
 */
export async function loadOver(
  url: string,
  path: string,
  count: number,
  connections: number,
  { headers = {}, onEach }: LoadOptions = {},
): Promise<number[]> {
  const pool = new Pool(url, { connections, pipelining: 1 });
  const statuses: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (next < count) {
        next++;
        try {
          const res = await pool.request({ path, method: "GET", headers });
          await res.body.dump();
          statuses.push(res.statusCode);
        } catch {
          statuses.push(0);
        }
        onEach?.(statuses.length);
      }
    }),
  );
  await pool.close();
  return statuses;
}

/** Requests each proxy worker took so far, by worker index, from the status port's /metrics. */
export async function workerRequests(statusUrl: string): Promise<number[]> {
  const text = await (await fetch(`${statusUrl}/metrics`)).text();
  return [...text.matchAll(/^gatehouse_worker_requests_total\{worker="\d+"\} (\d+)$/gm)].map((m) => Number(m[1]));
}
