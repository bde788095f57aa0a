/**
 * What the transformers cost: the gateway's CPU time per request (utime + stime of the process
 * from /proc, GATEHOUSE_WORKERS=1) with no policy, with request-transformer rewriting headers
 * only, with request-transformer rewriting a JSON body field, and with response-transformer
 * rewriting a field of the JSON answer. One gateway serves the four as four APIs on one local
 * Node upstream; wrk POSTs the same 1 KiB JSON body to each, in turn (A B C D A B C D …) so
 * drift hits each alike. About 20 s with the defaults. Writes bench/results/transformers-<date>.md.
 *
 *   node bench/transformers.ts [--seconds 1] [--repetitions 4] [--warmup 1] [--connections 32]   (whole seconds: wrk takes no fractions)
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs, promisify } from "node:util";
import { startAdminApi } from "@gatehouse/admin-api/test-support";
import { currentRevision } from "@gatehouse/db";
import { closeServer, listenLocal, startGateway } from "../apps/gateway/src/test-support/servers.ts";
import { writeResult } from "./compare.ts";
import { cpuSeconds, which } from "./processes.ts";
import { median } from "./report.ts";

const { values } = parseArgs({
  options: {
    seconds: { type: "string", default: "1" },
    repetitions: { type: "string", default: "4" },
    warmup: { type: "string", default: "1" },
    connections: { type: "string", default: "32" },
  },
});
const seconds = Number(values.seconds);
const repetitions = Number(values.repetitions);
const warmup = Number(values.warmup);
const connections = Number(values.connections);
const say = (line: string) => console.error(`bench: ${line}`);

const wrk = which("wrk");
if (wrk === null) throw new Error("this bench needs wrk (apt-get install wrk)");

const items = Array.from({ length: 12 }, (_, i) => ({ id: i, name: `item ${i}`, price: i * 1.5 }));
const REQUEST = JSON.stringify({ user: { id: 42, name: "Al" }, password: "hunter2", items });
const ANSWER = Buffer.from(JSON.stringify({ id: 1, internal: "node-7", items }));

const VARIANTS = [
  { name: "no policy", policy: null },
  {
    name: "request-transformer, headers only",
    policy: {
      type: "request-transformer",
      config: { headers: { set: { "x-request": "$(requestId)" }, remove: ["cookie"], add: { "x-tenant": "acme" } } },
    },
  },
  {
    name: "request-transformer, a JSON body rule",
    policy: {
      type: "request-transformer",
      config: { body: { remove: ["password"], set: { "user.by": "$(requestId)" } } },
    },
  },
  {
    name: "response-transformer, a JSON body rule",
    policy: {
      type: "response-transformer",
      config: { body: { remove: ["internal"], set: { requestId: "$(requestId)" } } },
    },
  },
] as const;

/** The upstream reads the body and answers 1 KiB of JSON, the same for every variant. */
const upstream = createServer((req, res) => {
  req.resume();
  req.on("end", () => {
    res.writeHead(200, { "content-type": "application/json", "content-length": ANSWER.length });
    res.end(ANSWER);
  });
});
upstream.keepAliveTimeout = 65_000;
const upstreamUrl = await listenLocal(upstream);
const admin = startAdminApi();
const scratch = mkdtempSync(path.join(tmpdir(), "gatehouse-transformers-"));
const script = path.join(scratch, "post.lua");
writeFileSync(
  script,
  `wrk.method = "POST"\nwrk.body = ${JSON.stringify(REQUEST)}\nwrk.headers["Content-Type"] = "application/json"\n`,
);
const runWrk = promisify(execFile);

try {
  for (const [i, variant] of VARIANTS.entries()) {
    const api = await admin.call("POST", "/apis", {
      name: `v${i}`,
      upstream: { targets: [{ url: upstreamUrl }] },
      routes: [{ paths: [`/v${i}`] }],
    });
    if (api.status !== 201) throw new Error(`seeding failed: ${JSON.stringify(api.json)}`);
    if (variant.policy === null) continue;
    const policy = await admin.call("POST", "/policies", { ...variant.policy, apiId: api.json.id });
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
        "-s",
        script,
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
    const summary = runs.map((list) => ({
      rps: median(list.map((r) => r.rps)),
      cpuUs: median(list.map((r) => r.cpuUs)),
      failed: list.reduce((sum, r) => sum + r.failed, 0),
    }));
    const plain = summary[0] as { rps: number; cpuUs: number };
    writeResult("transformers", "What the transformers cost per request", [
      `One gateway (GATEHOUSE_WORKERS=1, analytics on), four APIs on one local Node upstream answering 1 KiB of JSON; \`wrk -t1 -c${connections}\` POSTs a ${REQUEST.length}-byte JSON body, ${warmup} s warm-up then ${repetitions} × ${seconds} s per variant, interleaved; medians. CPU is the gateway process's utime + stime from /proc over each run.`,
      "",
      "| variant | req/s | gateway CPU µs/request | CPU × no policy | non-2xx |",
      "|---|---|---|---|---|",
      ...VARIANTS.map((variant, i) => {
        const s = summary[i] as { rps: number; cpuUs: number; failed: number };
        return `| ${variant.name} | ${Math.round(s.rps)} | ${s.cpuUs.toFixed(1)} | ${(s.cpuUs / plain.cpuUs).toFixed(2)}× | ${s.failed} |`;
      }),
    ]);
  } finally {
    await gateway.stop();
  }
} finally {
  admin.close();
  await closeServer(upstream);
  rmSync(scratch, { recursive: true, force: true });
}
