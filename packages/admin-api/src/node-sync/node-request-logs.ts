import {
  type GatewayRequestLogQuery,
  matchesRequestLogFilter,
  type RequestLogEntry,
  requestLogEntrySchema,
} from "@gatehouse/shared";
import { z } from "zod";
import type { NodeIdentity } from "./node-registry.ts";

/** Entries kept per node, as many as a gateway keeps of its own. */
export const NODE_REQUEST_LOG_SIZE = 1000;

// Strict like every Admin API body: an unknown field is named in a 400, never dropped unread.
export const nodeRequestLogBatchSchema = z.strictObject({
  entries: z
    .array(requestLogEntrySchema)
    .max(NODE_REQUEST_LOG_SIZE)
    .meta({ description: "Request-log entries the node has not sent before, in any order" }),
});

/** A request-log entry and the name of the node that served it. */
export type NodeRequestLogEntry = RequestLogEntry & { node: string };

interface NodeLog {
  name: string;
  /** Oldest first, at most NODE_REQUEST_LOG_SIZE. */
  entries: RequestLogEntry[];
}

/**
 * The request-log entries data-plane nodes send, the last NODE_REQUEST_LOG_SIZE of each node,
 * in this process's memory: the request log is a sample to look at, not a record, so a
 * restarted console starts with the nodes' next entries.
 */
export class NodeRequestLogs {
  readonly #logs = new Map<string, NodeLog>();

  add(node: NodeIdentity, entries: RequestLogEntry[]): void {
    if (entries.length === 0) return;
    const known = this.#logs.get(node.id)?.entries ?? [];
    const merged = known.concat(entries).sort((a, b) => a.time - b.time);
    this.#logs.set(node.id, { name: node.name, entries: merged.slice(-NODE_REQUEST_LOG_SIZE) });
  }

  /** True when some node has sent entries: the request log has something to show without the console's gateway. */
  get held(): boolean {
    return this.#logs.size > 0;
  }

  /** Every node's entries that match, newest first, at most `filter.limit`. */
  query(filter: GatewayRequestLogQuery): NodeRequestLogEntry[] {
    const out: NodeRequestLogEntry[] = [];
    for (const { name, entries } of this.#logs.values()) {
      for (const entry of entries) if (matchesRequestLogFilter(entry, filter)) out.push({ ...entry, node: name });
    }
    return out.sort((a, b) => b.time - a.time).slice(0, filter.limit);
  }
}
