import { apis, consumers, plans, policies, routes, targets, upstreams } from "@gatehouse/db";
import { type ConfigChange, type ConfigObjectKind, conflict } from "@gatehouse/shared";
import { eq, inArray } from "drizzle-orm";
import type { SQLiteTable } from "drizzle-orm/sqlite-core";
import { recordChange } from "../audit.ts";
import { now, type ServiceContext, type Tx } from "../context.ts";
import type {
  AnyObject,
  ApiObject,
  ConsumerObject,
  PlanObject,
  PolicyObject,
  UpstreamObject,
} from "./config-objects.ts";
import type { DesiredConfig } from "./desired-config.ts";
import { sameValue } from "./plan-changes.ts";

type Row = { id: string; createdAt?: string; updatedAt?: string };
type IdTable = SQLiteTable & { id: Parameters<typeof eq>[0] };

const withoutTimes = ({ createdAt: _c, updatedAt: _u, ...rest }: Row) => rest;

/** Makes a table's rows for one object equal to `desired`: deletes, inserts, and updates what differs. */
function syncRows(
  tx: Tx,
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
  if (fresh.length > 0)
    tx.insert(table)
      .values(fresh as never)
      .run();
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
  kind: ConfigObjectKind,
  before: AnyObject | null,
  after: AnyObject,
): Array<{ before: Row | null; after: Row | null }> {
  switch (kind) {
    case "upstream": {
      const [b, a] = [before as UpstreamObject | null, after as UpstreamObject];
      syncRows(tx, upstreams, b ? [b.upstream] : [], [a.upstream]);
      syncRows(tx, targets, b?.targets ?? [], a.targets);
      return [];
    }
    case "plan":
      syncRows(tx, plans, before ? [(before as PlanObject).plan] : [], [(after as PlanObject).plan]);
      return [];
    case "policy":
      syncRows(tx, policies, before ? [(before as PolicyObject).policy] : [], [(after as PolicyObject).policy]);
      return [];
    case "consumer": {
      const [b, a] = [before as ConsumerObject | null, after as ConsumerObject];
      syncRows(tx, consumers, b ? [b.consumer] : [], [a.consumer]);
      syncRows(tx, policies, b?.policies ?? [], a.policies);
      return [];
    }
    case "api": {
      const [b, a] = [before as ApiObject | null, after as ApiObject];
      syncRows(tx, apis, b ? [b.api] : [], [a.api]);
      // Routes before their policies: a new route's policy needs its row, a removed route takes its own along.
      const routeChanges = syncRows(tx, routes, b?.routes ?? [], a.routes);
      syncRows(tx, policies, b?.policies ?? [], a.policies);
      return b ? routeChanges : [];
    }
  }
}

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
  const saved = new Map<string, AnyObject>();
  for (const { kind, id, object } of resolved.deleted) saved.set(`${kind}:${id}`, object);
  const current = resolved.current;
  for (const o of current.apis) saved.set(`api:${o.api.id}`, o);
  for (const o of current.upstreams) saved.set(`upstream:${o.upstream.id}`, o);
  for (const o of current.consumers) saved.set(`consumer:${o.consumer.id}`, o);
  for (const o of current.plans) saved.set(`plan:${o.plan.id}`, o);
  for (const o of current.policies) saved.set(`policy:${o.policy.id}`, o);
  const wanted = new Map<string, AnyObject>();
  const d = resolved.desired;
  for (const o of d.apis) wanted.set(`api:${o.api.id}`, o);
  for (const o of d.upstreams) wanted.set(`upstream:${o.upstream.id}`, o);
  for (const o of d.consumers) wanted.set(`consumer:${o.consumer.id}`, o);
  for (const o of d.plans) wanted.set(`plan:${o.plan.id}`, o);
  for (const o of d.policies) wanted.set(`policy:${o.policy.id}`, o);

  const early = (c: ConfigChange) => c.action !== "delete" && (c.kind === "upstream" || c.kind === "plan");
  const late = (c: ConfigChange) => c.action === "delete" && (c.kind === "upstream" || c.kind === "plan");
  const steps = [
    changes.filter(early),
    changes.filter((c) => c.action === "delete" && !late(c)),
    changes.filter((c) => c.action !== "delete" && !early(c)),
    changes.filter(late),
  ];
  try {
    for (const change of steps.flat()) {
      const key = `${change.kind}:${change.id}`;
      const before = change.action === "create" ? null : (saved.get(key) ?? null);
      if (change.action === "delete") {
        tx.delete(TABLE_OF[change.kind])
          .where(eq(TABLE_OF[change.kind].id, change.id as string))
          .run();
      } else {
        const routeChanges = writeObject(tx, change.kind, before, wanted.get(key) as AnyObject);
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
  } catch (error) {
    // Two objects swapping names in one apply meet a unique index between the two writes.
    if ((error as { code?: string }).code === "SQLITE_CONSTRAINT_UNIQUE") {
      throw conflict(`The apply could not be written: ${(error as Error).message}; apply the renames in two steps`);
    }
    throw error;
  }
}
