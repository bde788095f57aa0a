import { type ConfigDb, consumers } from "@gatehouse/db";
import {
  type Consumer,
  conflict,
  consumerCreateSchema,
  consumerPatchSchema,
  newId,
  notFound,
  type Page,
} from "@gatehouse/shared";
import { asc, count, eq } from "drizzle-orm";
import { recordChange } from "../audit.ts";
import { now, parseInput, type ServiceContext, type Tx } from "../context.ts";
import { listFilter } from "../list-query.ts";
import { assertPlanExists } from "../plans/plan-verbs.ts";

type Reader = Pick<ConfigDb, "select">;

export function getConsumer(db: Reader, id: string): Consumer {
  const row = db.select().from(consumers).where(eq(consumers.id, id)).get();
  if (!row) throw notFound("Consumer", id);
  return row;
}

function assertNameFree(tx: Pick<Tx, "select">, name: string, exceptId?: string) {
  const clash = tx.select({ id: consumers.id }).from(consumers).where(eq(consumers.name, name)).get();
  if (clash && clash.id !== exceptId) {
    throw conflict(`A consumer named "${name}" already exists`, [{ path: "name", message: "Already taken" }]);
  }
}

export function listConsumers(db: ConfigDb, query: unknown): Page<Consumer> {
  const { limit, offset, where } = listFilter(query, consumers);
  const total = db.select({ n: count() }).from(consumers).where(where).get()?.n ?? 0;
  const data = db.select().from(consumers).where(where).orderBy(asc(consumers.name)).limit(limit).offset(offset).all();
  return { data, total, limit, offset };
}

export function createConsumer(ctx: ServiceContext, input: unknown): Consumer {
  const values = parseInput(consumerCreateSchema, input);
  return ctx.db.transaction((tx) => {
    assertNameFree(tx, values.name);
    assertPlanExists(tx, values.planId);
    const id = newId("consumer");
    tx.insert(consumers)
      .values({ ...values, id })
      .run();
    const created = getConsumer(tx, id);
    recordChange(tx, ctx, { action: "create", entityType: "consumer", entityId: id, before: null, after: created });
    return created;
  });
}

export function updateConsumer(ctx: ServiceContext, id: string, input: unknown): Consumer {
  const patch = parseInput(consumerPatchSchema, input);
  return ctx.db.transaction((tx) => {
    const before = getConsumer(tx, id);
    if (patch.name !== undefined) assertNameFree(tx, patch.name, id);
    assertPlanExists(tx, patch.planId);
    tx.update(consumers)
      .set({ ...patch, updatedAt: now() })
      .where(eq(consumers.id, id))
      .run();
    const after = getConsumer(tx, id);
    recordChange(tx, ctx, { action: "update", entityType: "consumer", entityId: id, before, after });
    return after;
  });
}

/** Its keys and consumer-level policies go with it (they mean nothing without it). */
export function deleteConsumer(ctx: ServiceContext, id: string): void {
  ctx.db.transaction((tx) => {
    const before = getConsumer(tx, id);
    tx.delete(consumers).where(eq(consumers.id, id)).run();
    recordChange(tx, ctx, { action: "delete", entityType: "consumer", entityId: id, before, after: null });
  });
}
