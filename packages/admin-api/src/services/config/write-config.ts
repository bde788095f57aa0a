import { apis, consumers, plans, policies, routes, targets, upstreams } from "@gatehouse/db";
import { type ConfigChange, type ConfigObjectKind, conflict } from "@gatehouse/shared";
import { eq, inArray } from "drizzle-orm";
import type { SQLiteTable } from "drizzle-orm/sqlite-core";
import { recordChange } from "../audit.ts";
import { now, type ServiceContext, type Tx } from "../context.ts";
import {
  type AnyObject,
  type ApiObject,
  type ConsumerObject,
  keyedObjects,
  type PlanObject,
  type PolicyObject,
  type UpstreamObject,
} from "./config-objects.ts";
import type { DesiredConfig } from "./desired-config.ts";
import { sameValue } from "./plan-changes.ts";

type Row = { id: string; createdAt?: string; updatedAt?: string };
type IdTable = SQLiteTable & { id: Parameters<typeof eq>[0] };

const withoutTimes = ({ createdAt: _c, updatedAt: _u, ...rest }: Row) => rest;

/** SQLite takes up to 32,766 bound values a statement; 500 rows of the widest table stay well below. */
const ROWS_PER_INSERT = 500;

/**
 * New rows, kept per table and written many to a statement: a thousand APIs are a few inserts,
 * not thousands (the per-statement cost was most of an apply). Flushed in foreign-key order.
 */
class PendingInserts {
  readonly #tables = new Map<IdTable, Row[]>();

  add(table: IdTable, rows: readonly Row[]): void {
    const list = this.#tables.get(table);
    if (list) list.push(...rows);
    else this.#tables.set(table, [...rows]);
  }

  flush(tx: Tx): void {
    for (const table of INSERT_ORDER) {
      const rows = this.#tables.get(table) ?? [];
      for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
        tx.insert(table)
          .values(rows.slice(i, i + ROWS_PER_INSERT) as never)
          .run();
      }
    }
    this.#tables.clear();
  }
}

/** Makes a table's rows for one object equal to `desired`: deletes, inserts (pending), and updates what differs. */
function syncRows(
  tx: Tx,
  inserts: PendingInserts,
  table: IdTable,
  saved: readonly Row[],
  desired: readonly Row[],
): Array<{ before: Row | null; after: Row | null }> {
  const old = new Map(saved.map((row) => [row.id, row]));
  const wanted = new Set(desired.map((row) => row.id));
  const changed: Array<{ before: Row | null; after: Row | null }> = [];
  const gone = saved.filter((row) => !wanted.has(row.id));
  if (gone.length > 0)
    tx.delete(table)
      .where(
        inArray(
          table.id,
          gone.map((row) => row.id),
        ),
      )
      .run();
  for (const row of gone) changed.push({ before: row, after: null });
  const fresh = desired.filter((row) => !old.has(row.id));
  if (fresh.length > 0) inserts.add(table, fresh);
  for (const row of fresh) changed.push({ before: null, after: row });
  for (const row of desired) {
    const before = old.get(row.id);
    if (!before || sameValue(withoutTimes(before), withoutTimes(row))) continue;
    const { id, createdAt: _created, ...fields } = row;
    const after = "updatedAt" in row ? { ...fields, updatedAt: now() } : fields;
    tx.update(table)
      .set(after as never)
      .where(eq(table.id, id))
      .run();
    changed.push({ before, after: { ...row, ...after } });
  }
  return changed;
}

function writeObject(
  tx: Tx,
  inserts: PendingInserts,
  kind: ConfigObjectKind,
  before: AnyObject | null,
  after: AnyObject,
): Array<{ before: Row | null; after: Row | null }> {
  switch (kind) {
    case "upstream": {
      const [b, a] = [before as UpstreamObject | null, after as UpstreamObject];
      syncRows(tx, inserts, upstreams, b ? [b.upstream] : [], [a.upstream]);
      syncRows(tx, inserts, targets, b?.targets ?? [], a.targets);
      return [];
    }
    case "plan":
      syncRows(tx, inserts, plans, before ? [(before as PlanObject).plan] : [], [(after as PlanObject).plan]);
      return [];
    case "policy":
      syncRows(tx, inserts, policies, before ? [(before as PolicyObject).policy] : [], [
        (after as PolicyObject).policy,
      ]);
      return [];
    case "consumer": {
      const [b, a] = [before as ConsumerObject | null, after as ConsumerObject];
      syncRows(tx, inserts, consumers, b ? [b.consumer] : [], [a.consumer]);
      syncRows(tx, inserts, policies, b?.policies ?? [], a.policies);
      return [];
    }
    case "api": {
      const [b, a] = [before as ApiObject | null, after as ApiObject];
      syncRows(tx, inserts, apis, b ? [b.api] : [], [a.api]);
      // Routes before their policies: a new route's policy needs its row, a removed route takes its own along.
      const routeChanges = syncRows(tx, inserts, routes, b?.routes ?? [], a.routes);
      syncRows(tx, inserts, policies, b?.policies ?? [], a.policies);
      return b ? routeChanges : [];
    }
  }
}

const INSERT_ORDER: IdTable[] = [upstreams, targets, plans, apis, routes, consumers, policies];

const TABLE_OF: Record<ConfigObjectKind, IdTable> = {
  api: apis,
  upstream: upstreams,
  consumer: consumers,
  plan: plans,
  policy: policies,
};

/**
 * Writes the changes in an order that keeps every reference whole: pools and plans first, then
 * what is deleted (freeing names and paths), then APIs, consumers and global policies, and
 * last the pools and plans nothing uses any more.
 */
export function writeChanges(tx: Tx, ctx: ServiceContext, resolved: DesiredConfig, changes: ConfigChange[]): void {
  const saved = keyedObjects(resolved.current);
  const wanted = keyedObjects(resolved.desired);
  const inserts = new PendingInserts();
  const early = (c: ConfigChange) => c.action !== "delete" && (c.kind === "upstream" || c.kind === "plan");
  const late = (c: ConfigChange) => c.action === "delete" && (c.kind === "upstream" || c.kind === "plan");
  const steps = [
    changes.filter(early),
    changes.filter((c) => c.action === "delete" && !late(c)),
    changes.filter((c) => c.action !== "delete" && !early(c)),
    changes.filter(late),
  ];
  function writeChange(change: ConfigChange): void {
    const key = `${change.kind}:${change.id}`;
    const before = change.action === "create" ? null : (saved.get(key) ?? null);
    if (change.action === "delete") {
      tx.delete(TABLE_OF[change.kind])
        .where(eq(TABLE_OF[change.kind].id, change.id as string))
        .run();
    } else {
      const routeChanges = writeObject(tx, inserts, change.kind, before, wanted.get(key) as AnyObject);
      // Nodes re-read the routes an apply changed by these records, as they do for a route edit.
      for (const route of routeChanges) {
        const row = (route.after ?? route.before) as Row;
        recordChange(tx, ctx, {
          action: route.before === null ? "create" : route.after === null ? "delete" : "update",
          entityType: "route",
          entityId: row.id,
          before: route.before,
          after: route.after,
        });
      }
    }
    recordChange(tx, ctx, {
      action: change.action,
      entityType: change.kind,
      entityId: change.id as string,
      before: change.before,
      after: change.after,
    });
  }

  try {
    for (const [index, step] of steps.entries()) {
      // What the next step refers to (a new pool, a new route's policy) is written before it.
      if (index > 0) inserts.flush(tx);
      for (const change of step) writeChange(change);
    }
    inserts.flush(tx);
  } catch (error) {
    // Two objects swapping names in one apply meet a unique index between the two writes.
    if (String((error as { code?: string }).code).startsWith("SQLITE_CONSTRAINT")) {
      throw conflict(`The apply could not be written: ${(error as Error).message}; apply the renames in two steps`);
    }
    throw error;
  }
}
