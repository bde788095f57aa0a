/**
 * Failover under steady load: the real gateway in front of a pool of three upstream
 * processes; 4 concurrent clients send GETs for the whole run; one target is SIGKILLed at
 * 25% of the run and restarted at 60%. Counts failed requests by status and reads when the
 * gateway marked the target down and up from its /health events.
 *
 *   node bench/failover.ts [seconds=20]
 */
import { writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Pool } from "undici";
import { TestConfigDb } from "../apps/gateway/src/test-support/config-db.ts";
import { startGateway } from "../apps/gateway/src/test-support/servers.ts";
import { UpstreamProcess } from "../apps/gateway/src/test-support/upstream-process.ts";

const seconds = Number(process.argv[2] ?? 20);
const CLIENTS = 4;
const killAt = seconds * 250;
const restartAt = seconds * 600;

const config = new TestConfigDb();
const targets = await Promise.all(["a", "b", "c"].map((name) => UpstreamProcess.start(name, { log: false })));
const gateway = await startGateway(config.dir);
const client = new Pool(gateway.proxyUrl, { connections: CLIENTS });
const victim = targets[1] as UpstreamProcess;

try {
  const settings = {
    retries: 1,
    healthChecks: {
      active: { enabled: true, path: "/healthz", intervalMs: 1_000, timeoutMs: 500 },
      passive: { enabled: true, failures: 5, cooldownMs: 10_000 },
    },
  };
  const { upstreamId, targetIds } = config.addUpstream(
    targets.map((t) => ({ url: t.url })),
    settings,
  );
  const { revision } = config.addApi(upstreamId, [{ paths: ["/bench"] }]);
  await gateway.waitForRevision(revision);

  const t0 = performance.now();
  const since = () => performance.now() - t0;
  let total = 0;
  const failures = new Map<number, number>();
  const failureTimes: number[] = [];
  const worker = async () => {
    while (since() < seconds * 1000) {
      let status: number;
      try {
        const res = await client.request({ path: "/bench/item", method: "GET" });
        await res.body.dump();
        status = res.statusCode;
      } catch {
        status = 0;
      }
      total++;
      if (status !== 200) {
        failures.set(status, (failures.get(status) ?? 0) + 1);
        failureTimes.push(since());
      }
    }
  };
  const timeline: string[] = [];
  const chaos = (async () => {
    await new Promise((resolve) => setTimeout(resolve, killAt));
    await victim.kill();
    timeline.push(`${(since() / 1000).toFixed(2)} s: SIGKILL target b (${victim.url})`);
    await new Promise((resolve) => setTimeout(resolve, restartAt - since()));
    await victim.restart();
    timeline.push(`${(since() / 1000).toFixed(2)} s: target b restarted on the same port`);
  })();
  const wallStart = Date.now() - since();
  await Promise.all([...Array.from({ length: CLIENTS }, worker), chaos]);

  const health = (await (await fetch(`${gateway.statusUrl}/health/upstreams/${upstreamId}`)).json()) as {
    targets: { targetId: string; state: string }[];
    events: { at: string; targetId: string; from: string; to: string; reason: string }[];
  };
  for (const event of health.events.toReversed()) {
    if (event.targetId !== targetIds[1]) continue;
    const at = ((Date.parse(event.at) - wallStart) / 1000).toFixed(2);
    timeline.push(`${at} s: gateway marked b ${event.from} -> ${event.to} (${event.reason})`);
  }
  timeline.sort((a, b) => Number.parseFloat(a) - Number.parseFloat(b));

  const failed = [...failures.values()].reduce((sum, n) => sum + n, 0);
  const byStatus =
    failed === 0 ? "none" : [...failures].map(([status, n]) => `${status || "network"}: ${n}`).join(", ");
  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, Node ${process.version}, ${os.platform()} ${os.release()}`;
  const report = [
    "# Failover under steady load",
    "",
    `${new Date().toISOString()} on ${machine}`,
    "",
    `Command: \`node bench/failover.ts ${seconds}\``,
    "",
    `Pool of 3 upstream processes (round-robin, retries ${settings.retries}, active checks every ` +
      `${settings.healthChecks.active.intervalMs} ms on /healthz, passive: ${settings.healthChecks.passive.failures} ` +
      `failures, ${settings.healthChecks.passive.cooldownMs} ms cool-down), ${CLIENTS} concurrent clients sending GETs for ${seconds} s.`,
    "",
    "| requests | failed | failed by status | req/s |",
    "|---|---|---|---|",
    `| ${total} | ${failed} | ${byStatus} | ${Math.round(total / seconds)} |`,
    "",
    "Timeline (seconds since load started):",
    "",
    ...timeline.map((line) => `- ${line}`),
    ...(failureTimes.length > 0
      ? ["", `Failures at: ${failureTimes.map((t) => `${(t / 1000).toFixed(2)} s`).join(", ")}`]
      : []),
    "",
    `Final states: ${health.targets.map((t) => t.state).join(", ")}`,
    "",
  ].join("\n");
  console.log(report);
  writeFileSync(path.join(import.meta.dirname, "results", "failover.md"), report);
} finally {
  await client.close();
  await gateway.stop();
  for (const target of targets) await target.kill();
  config.remove();
}
