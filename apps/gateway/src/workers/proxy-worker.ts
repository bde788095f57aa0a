import { writeSync } from "node:fs";
import { parentPort, workerData } from "node:worker_threads";
import type { ConfigSnapshot } from "@gatehouse/db";
import { WindowTable } from "@gatehouse/policies";
import { stdoutAccessLog } from "../analytics/access-log.ts";
import { RequestLog } from "../analytics/request-log.ts";
import { SampleColumns } from "../analytics/sample-columns.ts";
import type { SampleSink, TrafficSample } from "../analytics/traffic-sample.ts";
import { LiveConfig } from "../config/live-config.ts";
import { OpenConnections } from "../edge/open-connections.ts";
import { InflightCounts } from "../health/inflight-counts.ts";
import { HealthRegistry } from "../health/registry.ts";
import type { KeyIndexShare } from "../policies/key-index.ts";
import { KeyIndexReader } from "../policies/key-index-reader.ts";
import { PolicyCounts } from "../policies/policy-counts.ts";
import { SharedQuotaCounters } from "../policies/shared-quota-counters.ts";
import { createProxyHandler, type ProxyContext } from "../proxy/handler.ts";
import { PoolRegistry } from "../proxy/pools.ts";
import { createProxyServer, drainServer, listenOn } from "../proxy/server.ts";
import { SniContexts } from "../tls/sni-contexts.ts";
import { createTlsProxyServer, drainTlsServer } from "../tls/tls-server.ts";
import type { HostMessage, ProxyWorkerData, RevisionMessage, WorkerMessage } from "./messages.ts";
import { WorkerOutbox } from "./worker-outbox.ts";

/**
 * One proxy worker: its own server on the shared port (reusePort), its own compiled copy of
 * each revision the host sends, and host-wide state through the host: target health comes
 * from the host's breakers, analytics, key use and quota increments go to it in reports.
 */
const data = workerData as ProxyWorkerData;
const port = parentPort as NonNullable<typeof parentPort>;
const post = (message: WorkerMessage) => port.postMessage(message);
// Synchronous: a worker that is killed must not take its last log lines with it.
const log = (line: string) => writeSync(1, `${line}\n`);

const samples = data.traffic === false ? null : new SampleColumns();
const requestLog =
  data.traffic === false ? null : new RequestLog(data.traffic.requestLogSize, data.traffic.requestLogPerSecond);
const sink: SampleSink | undefined =
  samples === null || requestLog === null
    ? undefined
    : {
        record(sample: TrafficSample) {
          samples.record(sample);
          requestLog.record(sample);
        },
      };

const quotas = new SharedQuotaCounters(data.quotas);
const policyCounts = new PolicyCounts();
let reported = 0;
const context: ProxyContext = {
  config: { current: null },
  limits: data.limits,
  log,
  draining: false,
  samples: sink,
  accessLog: data.accessLog ? stdoutAccessLog : undefined,
  requests: 0,
};
const outbox = new WorkerOutbox(
  {
    takeRequests() {
      const taken = context.requests - reported;
      reported = context.requests;
      return taken;
    },
    samples,
    pools: () => health.pools(),
    takeQuotas: () => quotas.takeIncrements(),
    takePolicyCounts: () => policyCounts.take(),
  },
  (report) => {
    const message: WorkerMessage = { type: "report", report };
    port.postMessage(message, report.samples === null ? [] : [report.samples.numbers.buffer]);
  },
  (outcomes) => post({ type: "outcomes", outcomes }),
);
const health = new HealthRegistry({ log, reports: outbox, inflight: new InflightCounts(data.inflight) });
context.keyUsage = outbox;
const pools = new PoolRegistry();
/** The host's key index; a new share (after a full load or growth) comes with the revision it belongs to. */
let keyReader = new KeyIndexReader(data.keys);
let keyShare: KeyIndexShare = data.keys;
const live = new LiveConfig({
  pools,
  health,
  keys: { get: (digest) => keyReader.get(digest) },
  counters: quotas,
  windows: new WindowTable(data.windows),
  metrics: policyCounts,
  log,
});
context.config = live;
let routes: ConfigSnapshot["routes"] | null = null;

function serve(message: RevisionMessage): void {
  if (message.keys.version !== keyShare.version) {
    keyShare = message.keys;
    keyReader = new KeyIndexReader(message.keys);
  }
  if (message.snapshot === null) {
    live.advance(message.revision);
  } else {
    const snapshot = { ...message.snapshot, routes: message.snapshot.routes ?? routes } as ConfigSnapshot;
    routes = snapshot.routes;
    if (!live.apply(snapshot)) log(`config: worker ${data.index} cannot compile ${live.error}`);
    // A node's config cache from before certificates has none.
    sni?.update(snapshot.certificates ?? []);
  }
  health.follow(message.states);
  if (live.current !== null) post({ type: "served", revision: live.current.revision });
}

const connections = new OpenConnections(data.connections, data.index);
const server = createProxyServer(context, data.limits, connections);
const sni =
  data.tls === null
    ? null
    : new SniContexts({ secretsKey: Buffer.from(data.tls.secretsKey), fallback: data.tls.fallback, log });
const tlsServer =
  data.tls === null || sni === null
    ? null
    : createTlsProxyServer(createProxyHandler(context, "https"), sni, data.limits, connections);
if (data.revision !== null) serve(data.revision);
await listenOn(server, data.port, data.host, true);
if (tlsServer !== null && data.tls !== null) {
  await listenOn(tlsServer, data.tls.port, data.host, true);
  context.tlsPort = data.tls.port;
}
outbox.start();
post({ type: "listening" });

port.on("message", (message: HostMessage) => {
  switch (message.type) {
    case "revision":
      serve(message);
      return;
    case "health":
      health.follow(message.states);
      return;
    case "report":
      outbox.flush();
      return;
    case "requests":
      post({
        type: "requests",
        id: message.id,
        entries: requestLog?.query(message.filter) ?? [],
        sampleRate: requestLog?.sampleRate ?? 1,
      });
      return;
    case "drain":
      void drain(message.timeoutMs);
      return;
  }
});

async function drain(timeoutMs: number): Promise<void> {
  const drained = Promise.all([
    drainServer(server, context, timeoutMs),
    tlsServer === null ? null : drainTlsServer(tlsServer, timeoutMs),
  ]);
  post({ type: "closed" });
  await drained;
  outbox.stop();
  outbox.flush();
  post({ type: "drained" });
  live.close();
  await health.close();
  await pools.close();
  port.close();
}
