/**
 * Issue-to-accepted and revoke-to-refused delays: how long after the Admin API answers does
 * the real gateway accept a new key, and refuse a revoked one? With `keys` filler keys in
 * config.db, to show the delay does not grow with the key count (the gateway re-reads only
 * the keys a revision changed).
 *
 *   node bench/revoke-latency.ts [revocations=100] [keys=1]
 */
import { writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { startAdminApi } from "@gatehouse/admin-api/test-support";
import { closeServer, startEcho, startGateway } from "../apps/gateway/src/test-support/servers.ts";
import { insertFillerKeys } from "./filler-keys.ts";
import { percentile } from "./report.ts";

const revocations = Number(process.argv[2] ?? 100);
const fillerKeys = Math.max(0, Number(process.argv[3] ?? 1) - 1);

const admin = startAdminApi();
const echo = await startEcho();

const api = await admin.call("POST", "/apis", {
  name: "Bench",
  upstream: { targets: [{ url: echo.url }] },
  routes: [{ paths: ["/bench"] }],
});
await admin.call("POST", "/policies", { type: "key-auth", apiId: api.json.id });
const consumer = (await admin.call("POST", "/consumers", { name: "bench" })).json;
insertFillerKeys(admin.db.$client, consumer.id, fillerKeys);
const startedAt = performance.now();
const gateway = await startGateway(admin.dataDir);
await gateway.waitForRevision(Number((await admin.call("GET", "/revision")).json.revision), 120_000);
const readyMs = performance.now() - startedAt;

async function until(key: string, want: number, what: string): Promise<number> {
  const t0 = performance.now();
  for (;;) {
    const response = await fetch(`${gateway.proxyUrl}/bench/x`, { headers: { "x-api-key": key } });
    await response.arrayBuffer();
    if (response.status === want) return performance.now() - t0;
    if (performance.now() - t0 > 5_000) throw new Error(`${what} not enforced in 5 s`);
  }
}

try {
  const issued: number[] = [];
  const revoked: number[] = [];
  for (let i = 0; i < revocations; i++) {
    const key = (await admin.call("POST", `/consumers/${consumer.id}/keys`, { name: `k${i}` })).json;
    issued.push(await until(key.key, 200, `key ${i}`));
    await admin.call("POST", `/consumers/${consumer.id}/keys/${key.id}/revoke`);
    revoked.push(await until(key.key, 401, `revocation ${i}`));
  }
  const pct = (values: number[], p: number) => percentile(values, p).toFixed(1);
  const row = (what: string, values: number[]) =>
    `| ${what} | ${revocations} | ${(fillerKeys + 1).toLocaleString("en")} | ${pct(values, 50)} | ${pct(values, 95)} | ${pct(values, 99)} | ${pct(values, 100)} |`;
  const table = [
    "| from the Admin API's answer to | changes | keys in config.db | p50 ms | p95 ms | p99 ms | max ms |",
    "|---|---|---|---|---|---|---|",
    row("a new key accepted", issued),
    row("a revoked key refused (401 key_revoked)", revoked),
  ].join("\n");
  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, Node ${process.version}, ${os.platform()} ${os.release()}`;
  const report = `# Issue- and revoke-to-enforced delay\n\n${new Date().toISOString()} on ${machine}\n\nCommand: \`node bench/revoke-latency.ts ${revocations} ${fillerKeys + 1}\` (the gateway checks config.db on its file events, then every 10 ms for 1 s; start-up to ready with the keys loaded: ${readyMs.toFixed(0)} ms)\n\n${table}\n`;
  console.log(report);
  writeFileSync(path.join(import.meta.dirname, "results", `revoke-latency-${fillerKeys + 1}-keys.md`), report);
} finally {
  await gateway.stop();
  await closeServer(echo.server);
  admin.close();
}
