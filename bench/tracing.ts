/**
 * What tracing costs: the gateway's CPU time per request (utime + stime of the process from
 * /proc, GATEHOUSE_WORKERS=1) with no policy, with the opentelemetry policy recording every
 * request (samplingRatio 1) and recording 1% of them (0.01), exporting to a local OTLP/HTTP
 * receiver that reads each export and answers 200. One gateway serves the three as three APIs
 * on one local Node upstream; wrk GETs each in turn (A B C A B C …) so drift hits each alike.
 * About 25 s with the defaults. Writes bench/results/tracing-<date>.md.
 *
 *   node bench/tracing.ts [--seconds 2] [--repetitions 3] [--warmup 1] [--connections 32]
 */
import { execFile } from "node:child_process";
import { createServer } from "node:http";
import { promisify } from "node:util";
import { startAdminApi } from "@gatehouse/admin-api/test-support";
import { currentRevision } from "@gatehouse/db";
import { closeServer, listenLocal, startGateway } from "../apps/gateway/src/test-support/servers.ts";
import { writeResult } from "./compare.ts";
import { loadOptions, say } from "./load-options.ts";
import { cpuSeconds, which } from "./processes.ts";
import { median } from "./report.ts";

const { seconds, repetitions, warmup, connections } = loadOptions({
  seconds: 2,
  repetitions: 3,
  warmup: 1,
  connections: 32,
});

const wrk = which("wrk");
if (wrk === null) throw new Error("this bench needs wrk (apt-get install wrk)");

const ANSWER = Buffer.from(JSON.stringify({ id: 1, name: "item", price: 1.5 }));

/** The receiver only reads and counts: its parsing is not the gateway's cost. */
const exported = { requests: 0, bytes: 0 };
const receiver = createServer((req, res) => {
  req.on("data", (chunk: Buffer) => {
    exported.bytes += chunk.length;
  });
  req.on("end", () => {
    exported.requests++;
    res.writeHead(200, { "content-type": "application/json" }).end("{}");
  });
});
const receiverUrl = await listenLocal(receiver);

const VARIANTS = [
  { name: "no policy", samplingRatio: null },
  { name: "opentelemetry, samplingRatio 1 (every request traced)", samplingRatio: 1 },
  { name: "opentelemetry, samplingRatio 0.01", samplingRatio: 0.01 },
] as const;

const upstream = createServer((_req, res) => {
  res.writeHead(200, { "content-type": "application/json", "content-length": ANSWER.length });
  res.end(ANSWER);
});
upstream.keepAliveTimeout = 65_000;
const upstreamUrl = await listenLocal(upstream);
const admin = startAdminApi();
const runWrk = promisify(execFile);

try {
  for (const [i, variant] of VARIANTS.entries()) {
    const api = await admin.call("POST", "/apis", {
      name: `v${i}`,
      upstream: { targets: [{ url: upstreamUrl }] },
      routes: [{ paths: [`/v${i}`] }],
    });
    if (api.status !== 201) throw new Error(`seeding failed: ${JSON.stringify(api.json)}`);
    if (variant.samplingRatio === null) continue;
    const policy = await admin.call("POST", "/policies", {
      type: "opentelemetry",
      config: { endpoint: receiverUrl, samplingRatio: variant.samplingRatio },
      apiId: api.json.id,
    });
    if (policy.status !== 201) throw new Error(`seeding failed: ${JSON.stringify(policy.json)}`);
  }
  const gateway = await startGateway(admin.dataDir, { GATEHOUSE_WORKERS: "1" });
  try {
    await gateway.waitForRevision(currentRevision(admin.db));
    const load = async (i: number, duration: number) => {
      const cpu0 = cpuSeconds(gateway.child.pid as number);
      const { stdout } = await runWrk(wrk, [
        "-t1",
        `-c${connections}`,
        `-d${duration}s`,
        `${gateway.proxyUrl}/v${i}/x`,
      ]);
      const requests = Number(/(\d+) requests in/.exec(stdout)?.[1]);
      const failed = Number(/Non-2xx or 3xx responses: (\d+)/.exec(stdout)?.[1] ?? 0);
      const cpu = cpuSeconds(gateway.child.pid as number) - cpu0;
      return { rps: requests / duration, cpuUs: (cpu / requests) * 1e6, failed };
    };
    say(`warming up each variant for ${warmup} s`);
    for (const i of VARIANTS.keys()) await load(i, warmup);
    const runs = VARIANTS.map(() => [] as Array<{ rps: number; cpuUs: number; failed: number }>);
    for (let rep = 1; rep <= repetitions; rep++) {
      for (const [i, variant] of VARIANTS.entries()) {
        const run = await load(i, seconds);
        runs[i]?.push(run);
        say(
          `${rep}/${repetitions} ${variant.name}: ${Math.round(run.rps)} req/s, ${run.cpuUs.toFixed(1)} µs CPU/request`,
        );
      }
    }
    const metrics = await (await fetch(`${gateway.statusUrl}/metrics`)).text();
    const total = (name: string) =>
      [...metrics.matchAll(new RegExp(`^${name}\\{[^}]*\\} (\\d+)$`, "gm"))].reduce((sum, m) => sum + Number(m[1]), 0);
    const summary = runs.map((list) => ({
      rps: median(list.map((r) => r.rps)),
      cpuUs: median(list.map((r) => r.cpuUs)),
      failed: list.reduce((sum, r) => sum + r.failed, 0),
    }));
    const plain = summary[0] as { rps: number; cpuUs: number };
    writeResult("tracing", "What tracing costs per request", [
      `One gateway (GATEHOUSE_WORKERS=1, analytics on), three APIs on one local Node upstream answering ${ANSWER.length} bytes of JSON; \`wrk -t1 -c${connections}\` GETs, ${warmup} s warm-up then ${repetitions} × ${seconds} s per variant, interleaved; medians. CPU is the gateway process's utime + stime from /proc over each run. Spans go to a local OTLP/HTTP receiver that reads each export and answers 200 (policy defaults: batches of 512, 1 s flush, a queue of 2,048).`,
      "",
      "| variant | req/s | gateway CPU µs/request | CPU × no policy | non-2xx |",
      "|---|---|---|---|---|",
      ...VARIANTS.map((variant, i) => {
        const s = summary[i] as { rps: number; cpuUs: number; failed: number };
        return `| ${variant.name} | ${Math.round(s.rps)} | ${s.cpuUs.toFixed(1)} | ${(s.cpuUs / plain.cpuUs).toFixed(2)}× | ${s.failed} |`;
      }),
      "",
      `Exported over the whole run: ${total("gatehouse_otel_spans_exported_total")} spans in ${exported.requests} exports (${Math.round(exported.bytes / 1024)} KiB); dropped: ${total("gatehouse_otel_spans_dropped_total")}.`,
    ]);
  } finally {
    await gateway.stop();
  }
} finally {
  admin.close();
  await closeServer(upstream);
  await closeServer(receiver);
}
