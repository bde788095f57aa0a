import { type ConfigDb, NODE_HEADERS, type NodeRow, nodes } from "@gatehouse/db";
import { GatehouseError, type GatewayNode, type NodeStatus } from "@gatehouse/shared";
import { asc, eq } from "drizzle-orm";
import { now } from "../services/context.ts";

/** Who a node says it is, from the headers it sends on every call. */
export interface NodeIdentity {
  id: string;
  name: string;
  address: string;
  version: string;
}

/** A node not heard from for this long is `gone`, its stream open or not: a node repeats its ack every 10 s. */
export const GONE_AFTER_MS = 30_000;
/** A traffic report older than this no longer says how busy a node is. */
const RATE_FRESH_MS = 5_000;

const ID_PATTERN = /^[A-Za-z0-9_-]{1,100}$/;

/** The node's identity headers, checked; a node that does not name itself is refused. */
export function nodeIdentity(header: (name: string) => string | undefined): NodeIdentity {
  const id = header(NODE_HEADERS.id);
  if (id === undefined || !ID_PATTERN.test(id)) {
    throw new GatehouseError("bad_request", `Send ${NODE_HEADERS.id}: 1 to 100 letters, digits, - or _`, [
      { path: NODE_HEADERS.id, message: "Required: 1 to 100 letters, digits, - or _" },
    ]);
  }
  const text = (name: string, fallback: string) => (header(name) ?? fallback).trim().slice(0, 200) || fallback;
  return {
    id,
    name: text(NODE_HEADERS.name, id),
    address: text(NODE_HEADERS.address, ""),
    version: text(NODE_HEADERS.version, ""),
  };
}

interface LiveFigures {
  streams: number;
  lastSeen: number;
  requestsPerSecond: number;
  reportedAt: number;
}

/**
 * Every node that connected: its row in config.db (written on connect, ack and disconnect) and,
 * in this process's memory, what changes every second (open streams, when it was last heard
 * from, its request rate), so a fleet's heartbeats do not become config.db writes.
 */
export class NodeRegistry {
  readonly #db: ConfigDb;
  readonly #live = new Map<string, LiveFigures>();

  constructor(db: ConfigDb) {
    this.#db = db;
  }

  connected(node: NodeIdentity, tokenId: string): void {
    this.#figures(node.id).streams++;
    this.#save(node, tokenId, { connectedAt: now() });
  }

  disconnected(node: NodeIdentity, tokenId: string): void {
    const figures = this.#figures(node.id);
    figures.streams = Math.max(0, figures.streams - 1);
    this.#save(node, tokenId, {});
  }

  /** The revision a node serves; said again every few seconds as its heartbeat, written only when it moves. */
  acked(node: NodeIdentity, tokenId: string, revision: number): void {
    this.#figures(node.id);
    const row = this.#db.select({ revision: nodes.revision }).from(nodes).where(eq(nodes.id, node.id)).get();
    if (row === undefined || row.revision !== revision) this.#save(node, tokenId, { revision });
  }

  /** A traffic report: the node is alive and this busy; `dropped` is written only when it grows. */
  heard(node: NodeIdentity, tokenId: string, requests: number, dropped: number): void {
    const figures = this.#figures(node.id);
    figures.requestsPerSecond = requests;
    figures.reportedAt = Date.now();
    const row = this.#db.select({ dropped: nodes.droppedRequests }).from(nodes).where(eq(nodes.id, node.id)).get();
    if (row === undefined || row.dropped !== dropped) this.#save(node, tokenId, { droppedRequests: dropped });
  }

  list(revision: number, at = Date.now()): GatewayNode[] {
    return this.#db
      .select()
      .from(nodes)
      .orderBy(asc(nodes.name), asc(nodes.id))
      .all()
      .map((row) => this.#view(row, revision, at));
  }

  #view(row: NodeRow, revision: number, at: number): GatewayNode {
    const figures = this.#live.get(row.id);
    const connected = (figures?.streams ?? 0) > 0;
    // An open stream is not enough: a host that vanished without closing it stops its heartbeat.
    const lastSeen = Math.max(Date.parse(row.lastSeenAt), figures?.lastSeen ?? 0);
    const fresh = figures !== undefined && at - figures.reportedAt < RATE_FRESH_MS;
    let status: NodeStatus = "live";
    if (at - lastSeen > GONE_AFTER_MS) status = "gone";
    else if (row.revision === null || row.revision < revision - 1) status = "behind";
    return {
      id: row.id,
      name: row.name,
      tokenId: row.tokenId,
      address: row.address,
      version: row.version,
      revision: row.revision,
      lastSeenAt: new Date(lastSeen).toISOString(),
      connected,
      requestsPerSecond: fresh ? figures.requestsPerSecond : 0,
      droppedRequests: row.droppedRequests,
      status,
    };
  }

  #figures(id: string): LiveFigures {
    let figures = this.#live.get(id);
    if (figures === undefined) {
      figures = { streams: 0, lastSeen: 0, requestsPerSecond: 0, reportedAt: 0 };
      this.#live.set(id, figures);
    }
    figures.lastSeen = Date.now();
    return figures;
  }

  #save(node: NodeIdentity, tokenId: string, changes: Partial<NodeRow>): void {
    const values = {
      tokenId,
      name: node.name,
      address: node.address,
      version: node.version,
      lastSeenAt: now(),
      ...changes,
    };
    this.#db
      .insert(nodes)
      .values({ id: node.id, ...values })
      .onConflictDoUpdate({ target: nodes.id, set: values })
      .run();
  }
}
