/**
 * Live-chart lag: from sending one request through the real gateway to its point arriving on
 * the Admin API's /analytics/stream (what the console relays to the browser). Each request
 * goes out at a random moment within a second, as real traffic would.
 *
 *   node bench/live-lag.ts [requests=30]
 */
import { writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { startAdminApi, TEST_TOKEN } from "@gatehouse/admin-api/test-support";
import { sseEvents, type TimeseriesPoint } from "@gatehouse/shared";
import { closeServer, startEcho, startGateway } from "../apps/gateway/src/test-support/servers.ts";
import { percentile } from "./report.ts";

const samples = Number(process.argv[2] ?? 30);

const admin = startAdminApi();
const echo = await startEcho();
const api = await admin.call("POST", "/apis", {
  name: "Bench",
  upstream: { targets: [{ url: echo.url }] },
  routes: [{ paths: ["/bench"] }],
});
const gateway = await startGateway(admin.dataDir);
await gateway.waitForRevision(Number((await admin.call("GET", "/revision")).json.revision));
const relay = startAdminApi({ dataDir: admin.dataDir, gatewayStatusUrl: gateway.statusUrl });

/** Resolves with each point as it arrives. */
function openStream(onPoint: (point: TimeseriesPoint) => void, signal: AbortSignal): Promise<void> {
  return (async () => {
    const response = await relay.app.request(`http://console.test/api/v1/analytics/stream?apiId=${api.json.id}`, {
      headers: { authorization: `Bearer ${TEST_TOKEN}` },
      signal,
    });
    for await (const { data } of sseEvents(response.body as ReadableStream<Uint8Array>)) onPoint(JSON.parse(data));
  })();
}

const lags: number[] = [];
const abort = new AbortController();
let waiting: ((point: TimeseriesPoint) => void) | null = null;
const stream = openStream((point) => waiting?.(point), abort.signal);
try {
  for (let i = 0; i < samples; i++) {
    await new Promise((resolve) => setTimeout(resolve, 1000 + Math.random() * 1000));
    const arrived = new Promise<number>((resolve) => {
      waiting = (point) => {
        if (point.requests > 0) resolve(performance.now());
      };
    });
    const sentAt = performance.now();
    await (await fetch(`${gateway.proxyUrl}/bench/${i}`)).arrayBuffer();
    lags.push((await arrived) - sentAt);
    waiting = null;
  }
  const pct = (p: number) => percentile(lags, p).toFixed(0);
  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, Node ${process.version}, ${os.platform()} ${os.release()}`;
  const report = [
    "# Live-chart lag",
    "",
    `${new Date().toISOString()} on ${machine}`,
    "",
    `Command: \`node bench/live-lag.ts ${samples}\`. One request at a random moment in each second; the lag is from`,
    "sending it to its second's point arriving on the Admin API's /analytics/stream (the console relays that stream",
    "unchanged). The gateway publishes each second just after it ends, so the lag is the rest of that second plus",
    "the hop through the relay: between 0 and ~1 s by design.",
    "",
    "| requests | p50 ms | p95 ms | max ms |",
    "|---|---|---|---|",
    `| ${samples} | ${pct(50)} | ${pct(95)} | ${pct(100)} |`,
    "",
  ].join("\n");
  console.log(report);
  writeFileSync(path.join(import.meta.dirname, "results", "live-lag.md"), report);
} finally {
  abort.abort();
  await stream.catch(() => {});
  await gateway.stop();
  await closeServer(echo.server);
  relay.close();
  admin.close();
}
