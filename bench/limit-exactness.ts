import { Pool } from "undici";
import { startGatehouse } from "./gatehouse.ts";

export interface LimitExactness {
  workers: number;
  limit: number;
  sent: number;
  connections: number;
  admitted: number;
  refused: number;
  /** Neither 200 nor 429, or no answer. */
  other: number;
  /** Fixed minute windows the burst touched: the bound is `limit` per window. */
  windows: number;
  ms: number;
}

const MINUTE_MS = 60_000;
const minuteOf = (ms: number) => Math.floor(ms / MINUTE_MS);

/**
 * Gatehouse with key-auth and a rate limit of `limit` per minute by consumer, at
 * GATEHOUSE_WORKERS=`workers`, takes `requests` requests from one key on `connections`
 * connections as fast as they go. Each proxy thread with a limiter of its own would admit up
 * to `limit` each; a shared one admits at most `limit` in a fixed window.
 */
export async function measureLimitExactness(
  upstreamUrl: string,
  { workers = 2, limit = 100, requests = 2000, connections = 50 } = {},
): Promise<LimitExactness> {
  const gatehouse = await startGatehouse(upstreamUrl, 1, {
    reloads: 0,
    cpuProfDir: null,
    label: "limit-exactness",
    policies: true,
    rateLimit: { minute: limit },
    workers,
  });
  const pool = new Pool(gatehouse.url, { connections, pipelining: 1 });
  try {
    // A burst that straddles a minute boundary may fill two fixed windows: start early in one.
    const intoMinute = Date.now() % MINUTE_MS;
    if (intoMinute > MINUTE_MS - 10_000) await new Promise((resolve) => setTimeout(resolve, MINUTE_MS - intoMinute));
    const counts = { admitted: 0, refused: 0, other: 0 };
    const t0 = Date.now();
    let next = 0;
    const send = async () => {
      while (next < requests) {
        next++;
        try {
          const response = await pool.request({
            path: `/api0/users/${next}`,
            method: "GET",
            headers: { "x-api-key": gatehouse.apiKey as string },
          });
          await response.body.dump();
          if (response.statusCode === 200) counts.admitted++;
          else if (response.statusCode === 429) counts.refused++;
          else counts.other++;
        } catch {
          counts.other++;
        }
      }
    };
    await Promise.all(Array.from({ length: connections }, send));
    const t1 = Date.now();
    return {
      workers,
      limit,
      sent: requests,
      connections,
      ...counts,
      windows: minuteOf(t1) - minuteOf(t0) + 1,
      ms: t1 - t0,
    };
  } finally {
    await pool.close();
    await gatehouse.stop();
  }
}

export function limitExactnessLines(result: LimitExactness): string[] {
  const bound = result.limit * result.windows;
  const verdict = result.admitted <= bound ? "within the bound" : "OVER the bound";
  return [
    `Gatehouse at GATEHOUSE_WORKERS=${result.workers}, key-auth + rate-limit \`{"minute": ${result.limit}}\` by consumer, ` +
      `${result.sent} requests with one key on ${result.connections} connections as fast as they go (${result.ms} ms):`,
    "",
    "| admitted (200) | refused (429) | other | bound | verdict |",
    "| --- | --- | --- | --- | --- |",
    `| ${result.admitted} | ${result.refused} | ${result.other} | ${bound} (${result.limit} per fixed window × ${result.windows} window${result.windows > 1 ? "s" : ""}) | ${verdict} |`,
    "",
    `The bound is the limit per fixed (epoch-aligned) minute. Over any sliding minute the ` +
      `sliding-window counter admits up to 2 × limit − 1 = ${2 * result.limit - 1} in the adversarial case ` +
      "(packages/policies/src/rate-limit/README.md, Worst-case over-admission); a burst inside one fixed window meets the tighter bound.",
  ];
}
