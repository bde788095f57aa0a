/**
 * Bytes the gateway's main thread allocates per proxied request, by the function that allocated
 * them: V8's sampling heap profiler, freed objects included, over a wrk run after a warm-up.
 * Garbage is what the collector's time grows with, and unlike req/s or CPU time it hardly moves
 * with other load on the machine, so a change to the hot path shows here when a shared host
 * hides it in throughput. In a gateway of this checkout and, with `--base DIR` (a checkout made
 * by `bench/base-checkout.sh`), of that one too. The analytics writer thread is not counted.
 *
 *   node bench/alloc-per-request.ts [--policies] [--routes 1] [--base DIR] [--seconds 8] [--top 30]
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { checkoutsToCompare, writeResult } from "./compare.ts";
import type { startGatehouse } from "./gatehouse.ts";
import { runWrk } from "./load/wrk.ts";
import { findNginx, startNginxUpstream } from "./nginx.ts";
import { which } from "./processes.ts";

const { values } = parseArgs({
  options: {
    policies: { type: "boolean", default: false },
    routes: { type: "string", default: "1" },
    base: { type: "string" },
    seconds: { type: "string", default: "8" },
    top: { type: "string", default: "30" },
  },
});
const OWN_CODE = / (apps|packages)\//;
const wrk = which("wrk");
const nginx = findNginx();
if (wrk === null || nginx === null)
  throw new Error("alloc-per-request needs wrk and nginx (apt-get install wrk nginx)");
const seconds = Number(values.seconds);
const routes = Number(values.routes);

interface ProfileNode {
  callFrame: { functionName: string; url: string };
  selfSize: number;
  children: ProfileNode[];
}

/**
 * Self bytes per function ("name file", paths from the package on) over the whole profile; no
 * line numbers, so a function a change moved down its file still lines up with its base.
 */
function bytesByFunction(head: ProfileNode): Map<string, number> {
  const bytes = new Map<string, number>();
  const visit = (node: ProfileNode) => {
    const { functionName, url } = node.callFrame;
    const where = url.replace(/^.*\/node_modules\//, "").replace(/^.*\/(apps|packages|bench)\//, "$1/");
    const name = `${functionName || "(anonymous)"} ${where}`;
    bytes.set(name, (bytes.get(name) ?? 0) + node.selfSize);
    for (const child of node.children) visit(child);
  };
  visit(head);
  return bytes;
}

async function waitForFile(file: string): Promise<void> {
  for (let waited = 0; !existsSync(file); waited += 100) {
    if (waited > 30_000) throw new Error(`no heap profile at ${file}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  // The profile is written in one call; give it a moment to finish.
  await new Promise((resolve) => setTimeout(resolve, 300));
}

const dir = mkdtempSync(path.join(tmpdir(), "gatehouse-alloc-"));
const upstream = await startNginxUpstream(nginx);
const measured: Array<{ label: string; requests: number; bytes: Map<string, number> }> = [];
try {
  for (const checkout of checkoutsToCompare(values.base)) {
    const { startGatehouse: start } = (await import(path.join(checkout.root, "bench/gatehouse.ts"))) as {
      startGatehouse: typeof startGatehouse;
    };
    const file = path.join(dir, `${measured.length}.heapprofile`);
    // The gateway inherits these (a base checkout's startGatehouse takes no env of its own); the
    // sampler comes from this checkout whichever gateway runs.
    const sampling = {
      NODE_OPTIONS: `--import=${path.join(import.meta.dirname, "heap-sampler.ts")}`,
      GATEHOUSE_HEAP_SAMPLES: file,
    };
    Object.assign(process.env, sampling);
    const gateway = await start(upstream.url, routes, {
      reloads: 1,
      cpuProfDir: null,
      label: "alloc",
      policies: values.policies,
      keys: 100,
    });
    for (const name of Object.keys(sampling)) delete process.env[name];
    try {
      const load = (s: number) =>
        runWrk(wrk, {
          url: gateway.url,
          connections: 50,
          threads: 2,
          seconds: s,
          routes,
          apiKey: gateway.apiKey ?? undefined,
        });
      await load(3);
      process.kill(gateway.pid, "SIGUSR2");
      await new Promise((resolve) => setTimeout(resolve, 200));
      const result = await load(seconds);
      process.kill(gateway.pid, "SIGUSR2");
      await waitForFile(file);
      const profile = JSON.parse(readFileSync(file, "utf8")) as { head?: ProfileNode; error?: string };
      if (profile.head === undefined) throw new Error(`heap sampling failed: ${profile.error}`);
      // Requests in flight at either end are a rounding error over tens of thousands.
      measured.push({
        label: checkout.label,
        requests: Math.round(result.rps * seconds),
        bytes: bytesByFunction(profile.head),
      });
      console.log(`${checkout.label}: ${measured.at(-1)?.requests} requests sampled`);
    } finally {
      await gateway.stop();
    }
  }
} finally {
  await upstream.stop();
  rmSync(dir, { recursive: true, force: true });
}

const perRequest = (m: (typeof measured)[number], name: string) => (m.bytes.get(name) ?? 0) / m.requests;
const sum = (m: (typeof measured)[number], mine: boolean) =>
  [...m.bytes].reduce((total, [name, b]) => total + (!mine || OWN_CODE.test(name) ? b : 0), 0) / m.requests;
const last = measured.at(-1) as (typeof measured)[number];
// The functions that allocate most in any checkout, largest in this one first.
const names = new Set<string>();
for (const m of measured) {
  for (const [name] of [...m.bytes].sort((x, y) => y[1] - x[1]).slice(0, Number(values.top))) names.add(name);
}
const rows = [...names].sort((x, y) => perRequest(last, y) - perRequest(last, x));
const header = `| function (self bytes) | ${measured.map((m) => `${m.label} B/request`).join(" | ")} |`;
writeResult(
  `alloc-per-request${values.policies ? "-policies" : ""}${routes > 1 ? `-${routes}-routes` : ""}`,
  "Bytes allocated per request on the gateway's main thread",
  [
    `Gateway with ${routes.toLocaleString("en")} route(s) (requests spread over all of them) and ${values.policies ? "key-auth + a rate limit too high to trigger + analytics, 100 keys" : "one API, no policies, analytics on"}; nginx upstream; \`wrk -t2 -c50 -d${seconds}s\` after a 3 s warm-up; V8's sampling heap profiler (one sample per 2 KiB allocated, freed objects included) on the main thread during the measured run.`,
    "",
    header,
    `| ${["---", ...measured.map(() => "---")].join(" | ")} |`,
    `| **all functions** | ${measured.map((m) => `**${sum(m, false).toFixed(0)}**`).join(" | ")} |`,
    `| **Gatehouse's own (apps/, packages/)** | ${measured.map((m) => `**${sum(m, true).toFixed(0)}**`).join(" | ")} |`,
    ...rows.map((name) => `| \`${name}\` | ${measured.map((m) => perRequest(m, name).toFixed(0)).join(" | ")} |`),
  ],
);
