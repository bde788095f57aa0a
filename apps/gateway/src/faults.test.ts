import { createServer, type Server } from "node:http";
import { createServer as createTcpServer, type Socket, type Server as TcpServer } from "node:net";
import { apis, configDbPath } from "@gatehouse/db";
import Database from "better-sqlite3";
import { eq } from "drizzle-orm";
import { Pool } from "undici";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { TestConfigDb, type UpstreamSeed } from "./test-support/config-db.ts";
import { closeServer, type GatewayProcess, listenLocal, startGateway } from "./test-support/servers.ts";

let config: TestConfigDb;
let gateway: GatewayProcess;
let client: Pool;
const servers: (Server | TcpServer)[] = [];
let apiCount = 0;

beforeAll(async () => {
  config = new TestConfigDb();
  gateway = await startGateway(config.dir);
  client = new Pool(gateway.proxyUrl, { connections: 4 });
}, 30_000);

afterAll(async () => {
  await client?.close();
  await gateway?.stop();
  for (const server of servers) {
    if ("closeAllConnections" in server) await closeServer(server);
    else await new Promise((resolve) => server.close(resolve));
  }
  config.remove();
});

async function publish(url: string, settings: UpstreamSeed = {}): Promise<string> {
  const prefix = `/fault${apiCount++}`;
  const { upstreamId } = config.addUpstream([{ url }], settings);
  const { revision } = config.addApi(upstreamId, [{ paths: [prefix] }]);
  await gateway.waitForRevision(revision);
  return prefix;
}

async function listenTcp(onSocket: (socket: Socket) => void): Promise<string> {
  const server = createTcpServer(onSocket);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
}

async function listenHttp(handler: Parameters<typeof createServer>[1]): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  return listenLocal(server);
}

async function send(path: string, requestId: string) {
  const res = await client.request({ path, method: "GET", headers: { "x-request-id": requestId } });
  return { status: res.statusCode, text: await res.body.text() };
}

/** The gateway's log lines about one request: one clear line, no stack. */
function linesAbout(requestId: string): string[] {
  return gateway
    .output()
    .split("\n")
    .filter((line) => line.includes(requestId));
}

describe("[FAULTS] the upstream misbehaves; the gateway answers, logs one line and keeps serving", () => {
  test("reset mid-response: the client's response is cut off, not hung; the next request is served", async () => {
    let calls = 0;
    const prefix = await publish(
      await listenHttp((_req, res) => {
        if (calls++ > 0) return void res.end("whole");
        res.writeHead(200, { "content-length": "100" });
        res.write("partial");
        setTimeout(() => res.socket?.destroy(), 20);
      }),
    );
    await expect(send(`${prefix}/x`, "fault-reset")).rejects.toThrow();
    expect(await send(`${prefix}/x`, "fault-reset-next")).toEqual({ status: 200, text: "whole" });
    const lines = linesAbout("fault-reset ");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^proxy: fault-reset GET \/x via http:\S+: response cut off \(/);
  });

  test("a slow upstream trips the read timeout → 504", async () => {
    const prefix = await publish(
      await listenHttp((_req, res) => {
        setTimeout(() => res.end("late"), 2_000).unref();
      }),
      { readTimeoutMs: 200 },
    );
    const res = await send(`${prefix}/x`, "fault-slow");
    expect(res.status).toBe(504);
    expect(JSON.parse(res.text).error.code).toBe("upstream_timeout");
    expect(linesAbout("fault-slow")).toEqual([expect.stringMatching(/upstream_timeout \(.*UND_ERR_HEADERS_TIMEOUT/)]);
  });

  test("a keep-alive socket the upstream closes as a request arrives: the GET is repeated on a new one", async () => {
    let sockets = 0;
    let closedOnArrival = 0;
    const prefix = await publish(
      await listenHttp((req, res) => {
        const socket = req.socket as Socket & { n?: number; served?: number };
        socket.n ??= ++sockets;
        socket.served = (socket.served ?? 0) + 1;
        // The first connection dies as its second request arrives: no `Connection: close`, no hint.
        if (socket.n === 1 && socket.served === 2) {
          closedOnArrival++;
          return void socket.destroy();
        }
        res.end("ok");
      }),
    );
    for (let i = 0; i < 4; i++)
      expect(await send(`${prefix}/x`, `fault-stale-${i}`)).toEqual({ status: 200, text: "ok" });
    expect(closedOnArrival).toBe(1);
    expect(gateway.output()).not.toContain("fault-stale-");
  });

  test("keep-alive sockets the upstream closes early when idle: every request still succeeds", async () => {
    const prefix = await publish(
      await listenTcp((socket) => {
        let idle: NodeJS.Timeout | undefined;
        socket.on("error", () => {});
        socket.on("data", () => {
          clearTimeout(idle);
          socket.write("HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok");
          idle = setTimeout(() => socket.end(), 30);
        });
      }),
    );
    for (let i = 0; i < 20; i++) {
      expect(await send(`${prefix}/x`, `fault-idle-${i}`)).toEqual({ status: 200, text: "ok" });
      await new Promise((resolve) => setTimeout(resolve, 20 + (i % 3) * 10));
    }
  });

  test("garbage instead of HTTP → 502 upstream_unavailable", async () => {
    const prefix = await publish(
      await listenTcp((socket) => {
        socket.once("data", () => socket.end("SSH-2.0-OpenSSH_9.6\r\n\x00\x01garbage\r\n\r\n"));
        socket.on("error", () => {});
      }),
    );
    const res = await send(`${prefix}/x`, "fault-garbage");
    expect(res.status).toBe(502);
    expect(JSON.parse(res.text).error.code).toBe("upstream_unavailable");
    expect(JSON.parse(res.text).error.message).toBe("The upstream answered with something that is not HTTP");
    expect(linesAbout("fault-garbage")).toEqual([expect.stringMatching(/upstream_unavailable \(/)]);
  });

  test("a writer holding config.db (WAL) for a while: the gateway keeps serving, then applies the commit", async () => {
    const { upstreamId } = config.addUpstream([{ url: await listenHttp((_req, res) => res.end("ok")) }]);
    const { apiId, revision } = config.addApi(upstreamId, [{ paths: ["/wal"] }]);
    await gateway.waitForRevision(revision);
    const prefix = "/wal";
    const writer = new Database(configDbPath(config.dir));
    writer.exec("BEGIN EXCLUSIVE");
    writer.prepare("update apis set enabled = 0 where id = ?").run(apiId);
    writer
      .prepare(
        "insert into audit_log (revision, at, actor, action, entity_type, entity_id) select coalesce(max(revision), 0) + 1, ?, 'test', 'update', 'api', ? from audit_log",
      )
      .run(new Date().toISOString(), apiId);
    for (let i = 0; i < 20; i++) expect((await send(`${prefix}/x`, "fault-wal")).status).toBe(200);
    writer.exec("COMMIT");
    writer.close();
    for (;;) {
      // The commit goes live on a later poll; until then the old snapshot answers.
      if ((await send(`${prefix}/x`, "fault-wal")).status === 503) break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(gateway.output()).not.toMatch(/config: cannot read/);
  });
});

test("[FAULTS] config.db locked by another writer (rollback journal): one log line, serving throughout, then changes apply", async () => {
  const db = new TestConfigDb();
  // A rollback-journal database, as a restored backup may be: here an exclusive lock does block readers.
  db.db.$client.pragma("journal_mode = DELETE");
  const own = await startGateway(db.dir);
  try {
    const url = await listenHttp((_req, res) => res.end("ok"));
    const { upstreamId } = db.addUpstream([{ url }]);
    const { apiId, revision } = db.addApi(upstreamId, [{ paths: ["/locked"] }]);
    await own.waitForRevision(revision);

    // This test's own writes above can briefly lock a rollback-journal file too; judge only what follows.
    const logged = own.output().length;
    const locker = new Database(configDbPath(db.dir));
    locker.exec("BEGIN EXCLUSIVE");
    while (!own.output().slice(logged).includes("config: cannot read"))
      await new Promise((resolve) => setTimeout(resolve, 10));
    // Polls fail fast instead of waiting on the lock: requests keep being answered while it is held.
    for (let i = 0; i < 20; i++) expect((await fetch(`${own.proxyUrl}/locked`)).status).toBe(200);
    locker.exec("ROLLBACK");
    locker.close();
    const whileLocked = own.output().slice(logged);

    const off = db.change({ type: "api", id: apiId }, (tx) => {
      tx.update(apis).set({ enabled: false }).where(eq(apis.id, apiId)).run();
    });
    await own.waitForRevision(off);
    expect((await fetch(`${own.proxyUrl}/locked`)).status).toBe(503);
    // One line for the whole time the lock was held, however many polls failed.
    expect(whileLocked.split("\n").filter((line) => line.startsWith("config: cannot read"))).toEqual([
      expect.stringMatching(/database is locked; still serving revision \d+, retrying$/),
    ]);
    // The test's own write can lock a rollback-journal file for a moment too: every episode ends.
    const lines = own.output().slice(logged).split("\n");
    const episodes = lines.filter((line) => line.startsWith("config: cannot read")).length;
    expect(lines.filter((line) => line.endsWith("readable again"))).toHaveLength(episodes);
  } finally {
    await own.stop();
    db.remove();
  }
}, 20_000);
