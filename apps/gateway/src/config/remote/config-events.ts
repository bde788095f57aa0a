import {
  type ConfigSnapshot,
  type KeyTotals,
  NODE_EVENTS,
  type NodeConfigChange,
  type NodeSnapshotEnd,
  type NodeSnapshotStart,
  type RawKey,
} from "@gatehouse/db";
import type { SseEvent } from "@gatehouse/shared";

/** A whole config: its rows, and its keys as the JSON pages they came in, parsed only when loaded. */
export interface WholeConfig {
  snapshot: ConfigSnapshot;
  keys: KeyTotals;
  pages: string[];
}

export type ConfigStep = { whole: WholeConfig } | { change: NodeConfigChange };

/** The console sent what the node protocol does not allow: the stream is dropped and opened again. */
export class ProtocolError extends Error {}

/**
 * Puts one stream's events together: a `snapshot`, its `keys` pages and its `snapshot-end` make
 * one whole config, given only once it is complete; a `change` is given as it comes.
 */
export class ConfigEvents {
  #pending: { start: NodeSnapshotStart; pages: string[] } | null = null;

  /** The step an event completes, if any. */
  take(event: SseEvent): ConfigStep | null {
    switch (event.event) {
      case NODE_EVENTS.snapshot:
        this.#pending = { start: JSON.parse(event.data) as NodeSnapshotStart, pages: [] };
        return null;
      case NODE_EVENTS.keys:
        if (this.#pending === null) throw new ProtocolError("keys outside a snapshot");
        this.#pending.pages.push(event.data);
        return null;
      case NODE_EVENTS.snapshotEnd: {
        const pending = this.#pending;
        const end = JSON.parse(event.data) as NodeSnapshotEnd;
        if (pending === null || end.revision !== pending.start.revision) {
          throw new ProtocolError(`snapshot-end of revision ${end.revision} without its snapshot`);
        }
        this.#pending = null;
        const { revision, tables, routes, keys } = pending.start;
        return { whole: { snapshot: { revision, ...tables, routes }, keys, pages: pending.pages } };
      }
      case NODE_EVENTS.change:
        if (this.#pending !== null) throw new ProtocolError("a change inside a snapshot");
        return { change: JSON.parse(event.data) as NodeConfigChange };
      default:
        // An event a newer console sends and this node does not know.
        return null;
    }
  }
}

/** Parses key pages one at a time as the index loads them, letting go of each page's text once parsed. */
export function* parsedPages(pages: string[]): Generator<RawKey[]> {
  for (let i = 0; i < pages.length; i++) {
    const rows = JSON.parse(pages[i] as string) as RawKey[];
    pages[i] = "";
    yield rows;
  }
}
