/**
 * Save-to-enforced delay: how long after the Admin API answers a change does the gateway
 * enforce it? Makes N changes and, after each save, sends requests through the real gateway
 * process until the answer flips. `api` switches an API off and on (503 ⇄ 200); `route` moves
 * a route's path away and back (404 ⇄ 200), which makes the gateway read the route again and
 * rebuild its router. Beside it, the delay until /readyz reports the saved revision: the
 * revision every proxy worker serves.
 *
 *   node bench/reload-latency.ts [changes=100] [routes=1] [api|route]
 */
import { writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { startAdminApi } from "@gatehouse/admin-api/test-support";
import { closeServer, startEcho, startGateway } from "../apps/gateway/src/test-support/servers.ts";
import { percentile } from "./report.ts";

const changes = Number(process.argv[2] ?? 100);
const extraRoutes = Number(process.argv[3] ?? 1) - 1;
const kind = process.argv[4] ?? "api";
if (kind !== "api" && kind !== "route") throw new Error(`unknown change ${kind}: api or route`);

const admin = startAdminApi();
const echo = await startEcho();
const gateway = await startGateway(admin.dataDir);

try {
  const api = await admin.call("POST", "/apis", {
    name: "Bench",
    upstream: { targets: [{ url: echo.url }] },
    routes: [{ paths: ["/bench"] }],
  });
  // The other routes in APIs of 100 each: one Admin API call per API rather than per route.
  for (let first = 0; first < extraRoutes; first += 100) {
    const filler = await admin.call("POST", "/apis", {
      name: `Filler ${first / 100}`,
      upstreamId: api.json.upstreamId,
      routes: Array.from({ length: Math.min(extraRoutes - first, 100) }, (_, i) => ({
        paths: [`/filler${first + i}/items/:id`],
      })),
    });
    if (filler.status !== 201) throw new Error(`seeding failed: ${JSON.stringify(filler.json)}`);
  }
  await gateway.waitForRevision(Number((await admin.call("GET", "/revision")).json.revision), 60_000);

  const delays: number[] = [];
  const everyWorker: number[] = [];
  for (let i = 0; i < changes; i++) {
    const on = i % 2 === 1;
    const saved =
      kind === "api"
        ? await admin.call("PATCH", `/apis/${api.json.id}`, { enabled: on })
        : await admin.call("PATCH", `/apis/${api.json.id}/routes/${api.json.routes[0].id}`, {
            paths: [on ? "/bench" : "/moved"],
          });
    if (saved.status !== 200) throw new Error(`change ${i} failed: ${JSON.stringify(saved.json)}`);
    const t0 = performance.now();
    const want = on ? 200 : kind === "api" ? 503 : 404;
    const revision = Number(saved.headers.get("gatehouse-revision"));
    const enforced = async () => {
      for (;;) {
        const response = await fetch(`${gateway.proxyUrl}/bench/x`);
        await response.arrayBuffer();
        if (response.status === want) return performance.now() - t0;
        if (performance.now() - t0 > 5_000) throw new Error(`change ${i} (revision ${revision}) not enforced in 5 s`);
      }
    };
    const served = async () => {
      for (;;) {
        const { body } = await gateway.readyz();
        if (typeof body.revision === "number" && body.revision >= revision) return performance.now() - t0;
        if (performance.now() - t0 > 5_000) throw new Error(`revision ${revision} not served by every worker in 5 s`);
      }
    };
    const [first, all] = await Promise.all([enforced(), served()]);
    delays.push(first);
    everyWorker.push(all);
  }

  const row = (what: string, values: number[]) => {
    const pct = (p: number) => percentile(values, p).toFixed(1);
    return `| ${what} | ${changes} | ${extraRoutes + 1} | ${pct(50)} | ${pct(95)} | ${pct(99)} | ${pct(100)} |`;
  };
  const change = kind === "api" ? "API switched off/on" : "route path moved";
  const table = [
    `| change | changes | routes | p50 ms | p95 ms | p99 ms | max ms |`,
    `|---|---|---|---|---|---|---|`,
    row(`${change}: first request enforcing it`, delays),
    row(`${change}: /readyz reports it (every worker serves it)`, everyWorker),
  ].join("\n");
  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, Node ${process.version}, ${os.platform()} ${os.release()}`;
  const report = `# Save-to-enforced delay\n\n${new Date().toISOString()} on ${machine}\n\nCommand: \`node bench/reload-latency.ts ${changes} ${extraRoutes + 1} ${kind}\` (the gateway checks config.db on its file events, then every 10 ms for 1 s; ${gateway.output().match(/workers=(\d+)/)?.[1] ?? "?"} proxy workers)\n\n${table}\n`;
  console.log(report);
  writeFileSync(
    path.join(
      import.meta.dirname,
      "results",
      `reload-latency-${extraRoutes + 1}-routes${kind === "api" ? "" : "-route-change"}.md`,
    ),
    report,
  );
} finally {
  await gateway.stop();
  await closeServer(echo.server);
  admin.close();
}
