/**
 * What the console sends data-plane nodes: the bytes and time of a whole snapshot (the
 * snapshot, keys and snapshot-end events, each parsed as a node parses it) for a config of
 * R routes and K keys, and the bytes every node is sent for one key revoked and for one API
 * switched off. Runs the real Admin API over a real config.db; the stream is read in process.
 *
 *   node bench/node-snapshot.ts [routes=10000] [keys=1000000]
 */
import { rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { startAdminApi } from "@gatehouse/admin-api/test-support";
import { NODE_HEADERS } from "@gatehouse/db";
import { sseEvents } from "@gatehouse/shared";
import { keyConfigDir } from "./key-config.ts";

const routeCount = Number(process.argv[2] ?? 10_000);
const keyCount = Number(process.argv[3] ?? 1_000_000);

const dataDir = keyConfigDir(keyCount);
const admin = startAdminApi({ dataDir });

/** Bytes of one event as it is written on the stream. */
const eventBytes = (event: string, data: string) => Buffer.byteLength(`event: ${event}\ndata: ${data}\n\n`);

try {
  const api = await admin.call("POST", "/apis", {
    name: "Bench",
    upstream: { targets: [{ url: "http://127.0.0.1:9" }] },
    routes: [{ paths: ["/bench"] }],
  });
  for (let first = 1; first < routeCount; first += 100) {
    const filler = await admin.call("POST", "/apis", {
      name: `Filler ${first}`,
      upstreamId: api.json.upstreamId,
      routes: Array.from({ length: Math.min(routeCount - first, 100) }, (_, i) => ({
        paths: [`/filler${first + i}/items/:id`],
      })),
    });
    if (filler.status !== 201) throw new Error(`seeding failed: ${JSON.stringify(filler.json)}`);
  }
  const token = (await admin.call("POST", "/nodes/tokens", { name: "bench" })).json.token as string;

  const t0 = performance.now();
  const response = await admin.app.request("http://console.test/api/v1/node/config", {
    headers: { authorization: `Bearer ${token}`, [NODE_HEADERS.id]: "bench-node" },
  });
  const events = sseEvents(response.body as ReadableStream<Uint8Array>);
  let snapshotBytes = 0;
  let keysSeen = 0;
  for (;;) {
    const { value } = await events.next();
    if (value === undefined) throw new Error("the stream ended during the snapshot");
    snapshotBytes += eventBytes(value.event, value.data);
    const parsed = JSON.parse(value.data);
    if (value.event === "keys") keysSeen += (parsed as unknown[]).length;
    if (value.event === "snapshot-end") break;
  }
  const snapshotMs = performance.now() - t0;
  if (keysSeen !== keyCount) throw new Error(`the snapshot brought ${keysSeen} keys, not ${keyCount}`);

  const nextChange = async () => {
    const { value } = await events.next();
    if (value?.event !== "change") throw new Error(`expected a change, got ${value?.event}`);
    return eventBytes(value.event, value.data);
  };
  const key = admin.db.$client.prepare("SELECT id FROM api_keys LIMIT 1").pluck().get() as string;
  await admin.call("POST", `/consumers/con_bench/keys/${key}/revoke`);
  const revocationBytes = await nextChange();
  await admin.call("PATCH", `/apis/${api.json.id}`, { enabled: false });
  const apiBytes = await nextChange();
  await events.return(undefined);

  const mb = (bytes: number) => (bytes / 1e6).toFixed(1);
  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, Node ${process.version}, ${os.platform()} ${os.release()}`;
  const report = `# What the console sends data-plane nodes

${new Date().toISOString()} on ${machine}

Command: \`node bench/node-snapshot.ts ${routeCount} ${keyCount}\` (the real Admin API over a real config.db; the stream read and every event JSON-parsed in process, as a node parses it)

| config | what is sent | bytes | time |
|---|---|---|---|
| ${routeCount.toLocaleString("en")} routes, ${keyCount.toLocaleString("en")} keys | whole snapshot on connect | ${mb(snapshotBytes)} MB | ${(snapshotMs / 1000).toFixed(2)} s to snapshot-end |
| same | one key revoked | ${revocationBytes.toLocaleString("en")} B | |
| same | one API switched off (every table but routes and keys, whole) | ${apiBytes.toLocaleString("en")} B | |
`;
  console.log(report);
  writeFileSync(
    path.join(import.meta.dirname, "results", `node-snapshot-${routeCount}-routes-${keyCount}-keys.md`),
    report,
  );
} finally {
  admin.close();
  rmSync(dataDir, { recursive: true, force: true });
}
