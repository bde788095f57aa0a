import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { ingestTraffic } from "@gatehouse/admin-api";
import { NODE_HEADERS, openAnalyticsDbForReading, SHIPPED_TABLES } from "@gatehouse/db";
import { afterEach, beforeEach, expect, test } from "vitest";
import { KeyUsageRecorder } from "../policies/key-usage.ts";
import { QuotaCounters } from "../policies/quota-counters.ts";
import { AnalyticsWriter } from "./analytics-writer.ts";
import { LiveFeed } from "./live-feed.ts";
import { SampleColumns } from "./sample-columns.ts";
import { TrafficSample } from "./traffic-sample.ts";

const TOKEN = "gh_node_test";

let dir: string;
let clock: number;
let consoleServer: ConsoleServer | null;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "gatehouse-shipper-"));
  // The start of an hour: each test's seconds, minute and hour are its own.
  clock = Date.UTC(2026, 11, 6, 10, 0, 0);
  consoleServer = null;
});
afterEach(async () => {
  await consoleServer?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** How the console answers one POST, by the batch's seq, the how-manieth try of it this is, and of any batch. */
type Answer = "ingest" | "ingest, then drop the connection" | "never answer" | 401 | 503;

interface ConsoleServer {
  url: string;
  dataDir: string;
  /** Every answer the console gave, as `seq: applied|skipped|<status>|lost|held`. */
  answers: string[];
  /** Resolves once the console has answered 2xx to batch `seq`. */
  answered(seq: number): Promise<void>;
  /** The node's dropped requests, as the last batch the console took said. */
  dropped: number;
  close(): Promise<void>;
}

/** The console's side: a real HTTP server adding each batch to its own analytics.db with `ingestTraffic`. */
async function startConsole(answer: (seq: number, attempt: number, call: number) => Answer): Promise<ConsoleServer> {
  const dataDir = path.join(dir, "console");
  const attempts = new Map<number, number>();
  let calls = 0;
  const waiting = new Map<number, () => void>();
  const done = new Set<number>();
  const state: ConsoleServer = {
    url: "",
    dataDir,
    answers: [],
    dropped: 0,
    answered: (seq) =>
      done.has(seq) ? Promise.resolve() : new Promise((resolve) => waiting.set(seq, resolve as () => void)),
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, "close");
    },
  };
  const server: Server = createServer(async (req: IncomingMessage, res) => {
    expect(req.url).toBe("/api/v1/node/traffic");
    expect(req.headers.authorization).toBe(`Bearer ${TOKEN}`);
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString()) as { seq: number };
    const attempt = (attempts.get(body.seq) ?? 0) + 1;
    attempts.set(body.seq, attempt);
    const how = answer(body.seq, attempt, ++calls);
    if (how === "never answer") {
      state.answers.push(`${body.seq}: held`);
      return;
    }
    if (typeof how === "number") {
      state.answers.push(`${body.seq}: ${how}`);
      res.writeHead(how).end();
      return;
    }
    const result = ingestTraffic(dataDir, req.headers[NODE_HEADERS.id] as string, body);
    state.dropped = result.dropped;
    if (how === "ingest, then drop the connection") {
      state.answers.push(`${body.seq}: lost`);
      req.socket.destroy();
      return;
    }
    state.answers.push(`${body.seq}: ${result.applied ? "applied" : "skipped"}`);
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ applied: result.applied }));
    done.add(body.seq);
    waiting.get(body.seq)?.();
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  consoleServer = state;
  return state;
}

const fakeRequest = { method: "GET", headers: { "content-length": "10" } } as unknown as IncomingMessage;

/** A node: the real analytics writer with traffic, key use and quotas, shipping to the console. */
function startNode(controlPlane: ConsoleServer, ship: { maxBatches?: number } = {}) {
  const lines: string[] = [];
  const samples = new SampleColumns();
  const keyUsage = new KeyUsageRecorder();
  const quotas = new QuotaCounters();
  const writer = new AnalyticsWriter(path.join(dir, "node"), (line) => lines.push(line), {
    now: () => clock,
    ship: {
      url: controlPlane.url,
      token: TOKEN,
      headers: { [NODE_HEADERS.id]: "nod_a", [NODE_HEADERS.name]: "a" },
      retryMs: { first: 1, max: 5 },
      ...ship,
    },
  });
  writer.addTraffic({ samples, feed: new LiveFeed(), rollupOptions: {} });
  writer.add(keyUsage);
  writer.add(quotas);
  /** `requests` requests in the current second, then the clock moves to the next and the writer flushes. */
  const second = async (requests: number) => {
    for (let i = 0; i < requests; i++) {
      const s = new TrafficSample(fakeRequest, "api_a", "rte_a", "/x", `req_${i}`);
      s.consumerId = "csm_1";
      s.upstreamId = i % 2 === 0 ? "ups_main" : "ups_canary";
      s.status = i % 3 === 0 ? 503 : 200;
      s.latencyMs = 5 + i;
      s.endedAt = clock;
      samples.record(s);
    }
    keyUsage.used("key_a", clock);
    quotas.merge([["pol_1:csm_1:day", clock - (clock % 86_400_000), requests]]);
    clock += 1000;
    await writer.flush();
  };
  return { writer, second, lines };
}

/** Every shipped table of a data dir's analytics.db, sorted. */
function dump(dataDir: string): Record<string, string[]> {
  const db = openAnalyticsDbForReading(dataDir);
  if (db === null) throw new Error(`no analytics.db in ${dataDir}`);
  const out: Record<string, string[]> = {};
  for (const table of SHIPPED_TABLES) {
    const rows = db.$client.prepare(`SELECT * FROM ${table}`).raw().all() as unknown[][];
    out[table] = rows.map((row) => JSON.stringify(row)).sort();
  }
  db.$client.close();
  return out;
}

function sum(dataDir: string, sql: string): number {
  const db = openAnalyticsDbForReading(dataDir);
  const value = db?.$client.prepare(sql).pluck().get() as number;
  db?.$client.close();
  return value;
}

test("[NODES] a console refusing the token, then answering 503, then 200 gets every batch once: its tables equal the node's", async () => {
  const controlPlane = await startConsole((_seq, _attempt, call) => (call <= 2 ? 401 : call <= 4 ? 503 : "ingest"));
  const node = startNode(controlPlane);
  for (let i = 1; i <= 4; i++) await node.second(i);
  // The open minute and hour are written at a stop: their rows are shipped like any other.
  await node.writer.flush(true);
  await controlPlane.answered(5);
  await node.writer.stop();
  expect(dump(controlPlane.dataDir)).toEqual(dump(path.join(dir, "node")));
  expect(sum(controlPlane.dataDir, "SELECT sum(requests) FROM traffic_1m")).toBe(10);
  expect(sum(controlPlane.dataDir, "SELECT sum(requests) FROM pool_traffic_1m WHERE upstream_id = 'ups_canary'")).toBe(
    4,
  );
  expect(controlPlane.answers.filter((answer) => answer.endsWith("applied"))).toEqual(
    [1, 2, 3, 4, 5].map((s) => `${s}: applied`),
  );
  expect(controlPlane.answers).toContain("1: 401");
  expect(controlPlane.answers).toContain("1: 503");
  expect(node.lines).toEqual([
    "analytics: cannot send traffic to the console (the node token is refused, 401); keeping up to 3600 seconds",
    "analytics: cannot send traffic to the console (answered 503); keeping up to 3600 seconds",
    "analytics: traffic reaches the console again",
  ]);
});

test("[NODES] a batch the console added but whose answer was lost is sent again and not counted twice", async () => {
  const controlPlane = await startConsole((seq, attempt) =>
    attempt === 1 && seq <= 2 ? "ingest, then drop the connection" : "ingest",
  );
  const node = startNode(controlPlane);
  for (let i = 1; i <= 3; i++) await node.second(5);
  await node.writer.flush(true);
  await controlPlane.answered(4);
  await node.writer.stop();
  expect(controlPlane.answers.slice(0, 4)).toEqual(["1: lost", "1: skipped", "2: lost", "2: skipped"]);
  expect(dump(controlPlane.dataDir)).toEqual(dump(path.join(dir, "node")));
  expect(sum(controlPlane.dataDir, "SELECT sum(requests) FROM traffic_1s")).toBe(15);
  // Quota counts stay on the node: the console's own gateway loads the console's file.
  expect(sum(controlPlane.dataDir, "SELECT count(*) FROM quota_usage")).toBe(0);
});

test("[NODES] past the bound the oldest batches go while the console is away, and their requests are counted as dropped", async () => {
  let away = true;
  const controlPlane = await startConsole(() => (away ? 503 : "ingest"));
  const node = startNode(controlPlane, { maxBatches: 2 });
  for (let i = 1; i <= 6; i++) await node.second(2);
  away = false;
  // The newest batch is never the one dropped.
  await controlPlane.answered(6);
  await node.writer.flush(true);
  await controlPlane.answered(7);
  await node.writer.stop();
  // Six batches of 2 requests, at most two kept: four dropped, whichever was being sent.
  expect(controlPlane.dropped).toBe(8);
  expect(controlPlane.answers.filter((answer) => answer.endsWith("applied"))).toHaveLength(3);
  const nodeDir = path.join(dir, "node");
  expect(sum(nodeDir, "SELECT sum(requests) FROM traffic_1s")).toBe(12);
  expect(sum(controlPlane.dataDir, "SELECT sum(requests) FROM traffic_1s")).toBe(4);
  // The minute was written after the console came back: it holds every request.
  expect(sum(controlPlane.dataDir, "SELECT sum(requests) FROM traffic_1m")).toBe(12);
  expect(node.lines).toContain("analytics: the traffic buffer is full; the oldest seconds go, counted as dropped");
});

test("[NODES] a dropped batch's minute rows go on with the next one: only its seconds are lost", async () => {
  let away = true;
  const controlPlane = await startConsole(() => (away ? 503 : "ingest"));
  const node = startNode(controlPlane, { maxBatches: 2 });
  // Two seconds before a minute ends: the third batch carries that minute's rows, and is dropped.
  clock = clock - (clock % 60_000) + 58_000;
  for (let i = 1; i <= 6; i++) await node.second(2);
  away = false;
  await controlPlane.answered(6);
  await node.writer.flush(true);
  await controlPlane.answered(7);
  await node.writer.stop();
  const [onNode, onConsole] = [dump(path.join(dir, "node")), dump(controlPlane.dataDir)];
  expect(onConsole.traffic_1m).toEqual(onNode.traffic_1m);
  expect(onConsole.traffic_codes_1m).toEqual(onNode.traffic_codes_1m);
  expect(onConsole.key_usage).toEqual(onNode.key_usage);
  expect(sum(controlPlane.dataDir, "SELECT sum(requests) FROM traffic_1s")).toBe(12 - controlPlane.dropped);
});

test("[NODES] a stop sends the last seconds to the console, and gives up on a console that does not answer", async () => {
  const controlPlane = await startConsole((_seq, _attempt, call) => (call <= 2 ? "ingest" : "never answer"));
  const first = startNode(controlPlane);
  await first.second(3);
  await controlPlane.answered(1);
  // The stop writes the open minute and hour and sends them before the thread ends.
  await first.writer.stop();
  expect(controlPlane.answers).toEqual(["1: applied", "2: applied"]);
  expect(sum(controlPlane.dataDir, "SELECT sum(requests) FROM traffic_1h")).toBe(3);

  // The next process of the node counts its batches from 1 again.
  const second = startNode(controlPlane);
  await second.second(4);
  await second.writer.stop();
  expect(controlPlane.answers.slice(2)).toEqual(["1: held"]);
  expect(second.lines.at(-1)).toBe("analytics: 2 traffic batches (4 requests) not sent to the console");
});
