import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import {
  type ConfigDb,
  changesSince,
  currentRevision,
  keyRowPages,
  keyTotals,
  NODE_EVENTS,
  NODE_KEYS_PAGE,
  NODE_PATHS,
  type NodeAck,
  type NodeConfigChange,
  type NodeSnapshotStart,
  openConfigDb,
  readKeyRows,
  readRoutePatch,
  readSnapshot,
} from "@gatehouse/db";
import { closeServer, listenLocal } from "./servers.ts";

export interface NodeConsole {
  url: string;
  /** The token it takes; change it to refuse the node's. */
  token: string;
  /** Each config stream opened: the revision asked from and the request's headers. */
  streams: Array<{ revision: string | null; headers: IncomingHttpHeaders }>;
  /** The events sent, by name, in order. */
  sent: string[];
  acks: number[];
  /** Ends every open config stream, as a console restarting would; the nodes open new ones. */
  drop(): void;
  close(): Promise<void>;
}

/**
 * The console's side of the node protocol over a real config.db, read with the functions the
 * console uses (readSnapshot, keyRowPages, changesSince, readRoutePatch, readKeyRows): a whole
 * snapshot unless the node's revision can be patched, then the changes, checked every 10 ms.
 * For the node's tests while the Admin API does not serve the node endpoints.
 */
export async function startNodeConsole(dataDir: string, token: string, port = 0): Promise<NodeConsole> {
  const streams: NodeConsole["streams"] = [];
  const sent: string[] = [];
  const acks: number[] = [];
  const state = { token };
  const open = new Set<ServerResponse>();
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://console");
    if (req.headers.authorization !== `Bearer ${state.token}`) {
      res.writeHead(401, { "content-type": "application/json" }).end('{"error":{"code":"unauthorized"}}');
      return;
    }
    if (req.method === "POST" && url.pathname === NODE_PATHS.ack) {
      let body = "";
      req.on("data", (chunk: Buffer) => {
        body += chunk.toString();
      });
      req.on("end", () => {
        acks.push((JSON.parse(body) as NodeAck).revision);
        res.writeHead(204).end();
      });
      return;
    }
    if (req.method !== "GET" || url.pathname !== NODE_PATHS.config) {
      res.writeHead(404).end();
      return;
    }
    streams.push({ revision: url.searchParams.get("revision"), headers: req.headers });
    const asked = url.searchParams.get("revision");
    open.add(res);
    res.on("close", () => open.delete(res));
    follow(openConfigDb(dataDir, { readonly: true }), asked === null ? null : Number(asked), res, sent);
  });
  const url = await listenOn(server, port);
  return {
    url,
    get token() {
      return state.token;
    },
    set token(value: string) {
      state.token = value;
    },
    streams,
    sent,
    acks,
    drop() {
      for (const res of open) res.end();
    },
    close: () => closeServer(server),
  };
}

function listenOn(server: ReturnType<typeof createServer>, port: number): Promise<string> {
  if (port === 0) return listenLocal(server);
  return new Promise((resolve) => server.listen(port, "127.0.0.1", () => resolve(`http://127.0.0.1:${port}`)));
}

function follow(db: ConfigDb, from: number | null, res: ServerResponse, sent: string[]): void {
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
  const send = (event: string, data: unknown) => {
    sent.push(event);
    res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  };
  let at = db.$client.transaction(() => (from === null ? whole(db, send) : since(db, from, send))).deferred();
  const timer = setInterval(() => {
    if (currentRevision(db) !== at) at = db.$client.transaction(() => since(db, at, send)).deferred();
  }, 10);
  res.on("close", () => {
    clearInterval(timer);
    db.$client.close();
  });
}

/** Sends every row and key; the revision sent. */
function whole(db: ConfigDb, send: (event: string, data: unknown) => void): number {
  const { revision, routes, ...tables } = readSnapshot(db);
  const start: NodeSnapshotStart = { revision, tables, routes, keys: keyTotals(db.$client) };
  send(NODE_EVENTS.snapshot, start);
  for (const page of keyRowPages(db.$client, NODE_KEYS_PAGE)) send(NODE_EVENTS.keys, page);
  send(NODE_EVENTS.snapshotEnd, { revision });
  return revision;
}

/** Sends what changed after `from`, or everything when the audit log cannot tell key by key; the revision sent. */
function since(db: ConfigDb, from: number, send: (event: string, data: unknown) => void): number {
  const revision = currentRevision(db);
  if (from > revision) return whole(db, send);
  const changes = changesSince(db, from, revision);
  if (!changes.complete || changes.reloadKeys) return whole(db, send);
  if (revision === from) return revision;
  const change: NodeConfigChange = { revision };
  if (changes.configChanged) {
    const { revision: _revision, routes: _routes, ...tables } = readSnapshot(db);
    change.tables = tables;
  }
  const routes = readRoutePatch(db.$client, changes);
  if (routes !== null) change.routes = routes;
  if (changes.keyIds.length > 0) change.keys = readKeyRows(db.$client, changes.keyIds);
  send(NODE_EVENTS.change, change);
  return revision;
}
