/**
 * Save-to-served across data-plane nodes: N real gateway processes follow a console (the real
 * Admin API on a real port); after each saved change, the time until every node's /readyz
 * reports the saved revision, and until the slowest does. Each node runs one proxy worker, so
 * eight of them fit the machine beside the console.
 *
 *   node bench/node-propagation.ts [nodes=1,2,8] [changes=50]
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os, { tmpdir } from "node:os";
import path from "node:path";
import { startConsole } from "../apps/gateway/src/test-support/console-server.ts";
import { type GatewayProcess, startGateway } from "../apps/gateway/src/test-support/servers.ts";
import { percentile } from "./report.ts";

const counts = (process.argv[2] ?? "1,2,8").split(",").map(Number);
const changes = Number(process.argv[3] ?? 50);

const server = await startConsole();
const admin = server.admin;
const rows: string[] = [];

try {
  const api = await admin.call("POST", "/apis", {
    name: "Bench",
    upstream: { targets: [{ url: "http://127.0.0.1:9" }] },
    routes: [{ paths: ["/bench"] }],
  });
  const token = (await admin.call("POST", "/nodes/tokens", { name: "bench" })).json.token as string;
  for (const count of counts) {
    const dirs = Array.from({ length: count }, (_, i) => mkdtempSync(path.join(tmpdir(), `gatehouse-node${i}-`)));
    const nodes: GatewayProcess[] = await Promise.all(
      dirs.map((dir, i) =>
        startGateway(dir, {
          GATEHOUSE_CONTROL_PLANE_URL: server.url,
          GATEHOUSE_NODE_TOKEN: token,
          GATEHOUSE_NODE_NAME: `bench-${i}`,
          GATEHOUSE_WORKERS: "1",
        }),
      ),
    );
    try {
      const current = Number((await admin.call("GET", "/revision")).json.revision);
      await Promise.all(nodes.map((node) => node.waitForRevision(current, 30_000)));
      const each: number[] = [];
      const slowest: number[] = [];
      for (let i = 0; i < changes; i++) {
        const saved = await admin.call("PATCH", `/apis/${api.json.id}`, { enabled: i % 2 === 1 });
        const t0 = performance.now();
        const revision = Number(saved.headers.get("gatehouse-revision"));
        const times = await Promise.all(
          nodes.map(async (node) => {
            for (;;) {
              const { body } = await node.readyz();
              if (typeof body.revision === "number" && body.revision >= revision) return performance.now() - t0;
              if (performance.now() - t0 > 5_000) throw new Error(`revision ${revision} not served in 5 s`);
            }
          }),
        );
        each.push(...times);
        slowest.push(Math.max(...times));
      }
      const pct = (values: number[], p: number) => percentile(values, p).toFixed(1);
      rows.push(
        `| ${count} | ${changes} | ${pct(each, 50)} | ${pct(each, 99)} | ${pct(slowest, 50)} | ${pct(slowest, 99)} | ${pct(slowest, 100)} |`,
      );
      console.log(rows.at(-1));
    } finally {
      await Promise.all(nodes.map((node) => node.stop()));
      for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    }
  }
  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, Node ${process.version}, ${os.platform()} ${os.release()}`;
  const report = `# Save-to-served across data-plane nodes

${new Date().toISOString()} on ${machine}

Command: \`node bench/node-propagation.ts ${counts.join(",")} ${changes}\` (an API switched off and on; the console is the real Admin API on a real port of 127.0.0.1 which sends a change saved through it right after its answer; each node is a real gateway process with one proxy worker; times from the save's answer until /readyz reports the revision, polled back to back, which loads the 2 cores too)

| nodes | changes | p50 ms (each node) | p99 ms (each node) | p50 ms (slowest node) | p99 ms (slowest node) | max ms |
|---|---|---|---|---|---|---|
${rows.join("\n")}
`;
  console.log(report);
  writeFileSync(path.join(import.meta.dirname, "results", "node-propagation.md"), report);
} finally {
  await server.close();
}
