/**
 * Save-to-enforced delay: how long after the Admin API answers a change does the gateway
 * enforce it? Toggles an API off and on N times and, after each save, sends requests through
 * the real gateway process until the answer flips (503 ⇄ 200).
 *
 *   node bench/reload-latency.ts [changes=100] [routes=1]
 */
import { writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { startAdminApi } from "@gatehouse/admin-api/test-support";
import { closeServer, startEcho, startGateway } from "../apps/gateway/src/test-support/servers.ts";
import { percentile } from "./report.ts";

const changes = Number(process.argv[2] ?? 100);
const extraRoutes = Number(process.argv[3] ?? 1) - 1;

const admin = startAdminApi();
const echo = await startEcho();
const gateway = await startGateway(admin.dataDir);

try {
  const api = await admin.call("POST", "/apis", {
    name: "Bench",
    upstream: { targets: [{ url: echo.url }] },
    routes: [{ paths: ["/bench"] }],
  });
  if (extraRoutes > 0) {
    const filler = await admin.call("POST", "/apis", {
      name: "Filler",
      upstreamId: api.json.upstreamId,
      routes: Array.from({ length: Math.min(extraRoutes, 100) }, (_, i) => ({ paths: [`/filler${i}/items/:id`] })),
    });
    for (let i = 100; i < extraRoutes; i++) {
      await admin.call("POST", `/apis/${filler.json.id}/routes`, { paths: [`/filler${i}/items/:id`] });
    }
  }
  await gateway.waitForRevision(Number((await admin.call("GET", "/revision")).json.revision), 60_000);

  const delays: number[] = [];
  for (let i = 0; i < changes; i++) {
    const enabled = i % 2 === 1;
    const saved = await admin.call("PATCH", `/apis/${api.json.id}`, { enabled });
    const t0 = performance.now();
    const want = enabled ? 200 : 503;
    for (;;) {
      const response = await fetch(`${gateway.proxyUrl}/bench/x`);
      await response.arrayBuffer();
      if (response.status === want) break;
      if (performance.now() - t0 > 5_000)
        throw new Error(`change ${i} (revision ${saved.headers.get("gatehouse-revision")}) not enforced in 5 s`);
    }
    delays.push(performance.now() - t0);
  }

  const pct = (p: number) => percentile(delays, p).toFixed(1);
  const table = [
    `| changes | routes | p50 ms | p95 ms | p99 ms | max ms |`,
    `|---|---|---|---|---|---|`,
    `| ${changes} | ${extraRoutes + 1} | ${pct(50)} | ${pct(95)} | ${pct(99)} | ${pct(100)} |`,
  ].join("\n");
  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, Node ${process.version}, ${os.platform()} ${os.release()}`;
  const report = `# Save-to-enforced delay\n\n${new Date().toISOString()} on ${machine}\n\nCommand: \`node bench/reload-latency.ts ${changes} ${extraRoutes + 1}\` (gateway polls config.db every 10 ms)\n\n${table}\n`;
  console.log(report);
  writeFileSync(path.join(import.meta.dirname, "results", `reload-latency-${extraRoutes + 1}-routes.md`), report);
} finally {
  await gateway.stop();
  await closeServer(echo.server);
  admin.close();
}
