/**
 * One gateway under wrk load with V8's --cpu-prof, and where its CPU went per request: self
 * time by function, divided by the requests it served. Run it before and after a change to
 * see what the change bought, function by function.
 *
 *   node bench/profile-gateway.ts [--policies] [--analytics-off] [--routes 1] [--seconds 10] [--out DIR]
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { startGatehouse } from "./gatehouse.ts";
import { wrkArgs } from "./load/wrk.ts";
import { findNginx, startNginxUpstream } from "./nginx.ts";

const { values } = parseArgs({
  options: {
    policies: { type: "boolean", default: false },
    "analytics-off": { type: "boolean", default: false },
    seconds: { type: "string", default: "10" },
    routes: { type: "string", default: "1" },
    out: { type: "string" },
  },
});
const nginx = findNginx();
if (nginx === null) throw new Error("profile-gateway needs nginx (apt-get install nginx) as the upstream");
const dir = values.out ?? mkdtempSync(path.join(tmpdir(), "gatehouse-profile-"));
const upstream = await startNginxUpstream(nginx);
const routes = Number(values.routes);
const gatehouse = await startGatehouse(upstream.url, routes, {
  reloads: 1,
  cpuProfDir: dir,
  label: values.policies ? "policies" : "plain",
  policies: values.policies,
  keys: 100,
  analyticsOff: values["analytics-off"],
});
let requests = 0;
try {
  const out = execFileSync(
    "wrk",
    wrkArgs({
      url: gatehouse.url,
      connections: 50,
      threads: 2,
      seconds: Number(values.seconds),
      routes,
      apiKey: gatehouse.apiKey ?? undefined,
    }),
  ).toString();
  requests = Number(/(\d+) requests in/.exec(out)?.[1] ?? 0);
  console.log(
    out
      .split("\n")
      .find((line) => line.includes("Requests/sec"))
      ?.trim(),
  );
} finally {
  await gatehouse.stop();
  await upstream.stop();
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
const file = path.join(dir, readdirSync(dir).find((name) => name.endsWith(".cpuprofile")) as string);
const profile = JSON.parse(readFileSync(file, "utf8")) as {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
};
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const self = new Map<string, number>();
profile.samples.forEach((id, i) => {
  const { functionName, url, lineNumber } = (byId.get(id) as ProfileNode).callFrame;
  if (functionName === "(idle)") return;
  const where = url.replace(/^.*\/node_modules\//, "").replace(/^.*\/(apps|packages|bench)\//, "$1/");
  const key = `${functionName || "(anonymous)"} ${where}${url ? `:${lineNumber + 1}` : ""}`;
  self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0));
});
const busy = [...self.values()].reduce((sum, us) => sum + us, 0);
console.log(`${requests} requests; ${(busy / requests).toFixed(1)} µs busy per request (start-up included); ${file}`);
console.log("| µs/request | function |\n|---|---|");
for (const [name, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 40)) {
  console.log(`| ${(us / requests).toFixed(2)} | ${name} |`);
}
