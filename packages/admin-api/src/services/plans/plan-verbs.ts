import { type ConfigDb, consumers, plans } from "@gatehouse/db";
import {
  conflict,
  GatehouseError,
  listQuerySchema,
  newId,
  notFound,
  type Plan,
  planCreateSchema,
  planPatchSchema,
} from "@gatehouse/shared";
import { asc, eq } from "drizzle-orm";
import { recordChange } from "../audit.ts";
import { now, parseInput, type ServiceContext, type Tx } from "../context.ts";

type Reader = Pick<ConfigDb, "select">;

export function getPlan(db: Reader, id: string): Plan {
  const row = db.select().from(plans).where(eq(plans.id, id)).get();
  if (!row) throw notFound("Plan", id);
  return row;
}

/** Plans are few (Free, Pro, Enterprise): one page, by name. */
export function listPlans(db: Reader, query: unknown): { data: Plan[] } {
  parseInput(listQuerySchema, query);
  return { data: db.select().from(plans).orderBy(asc(plans.name)).all() };
}

function assertNameFree(tx: Pick<Tx, "select">, name: string, exceptId?: string) {
  const clash = tx.select({ id: plans.id }).from(plans).where(eq(plans.name, name)).get();
  if (clash && clash.id !== exceptId) {
    throw conflict(`A plan named "${name}" already exists`, [{ path: "name", message: "Already taken" }]);
  }
}

export function createPlan(ctx: ServiceContext, input: unknown): Plan {
  const values = parseInput(planCreateSchema, input);
  return ctx.db.transaction((tx) => {
    assertNameFree(tx, values.name);
    const id = newId("plan");
    tx.insert(plans)
      .values({ ...values, id })
      .run();
    const created = getPlan(tx, id);
    recordChange(tx, ctx, { action: "create", entityType: "plan", entityId: id, before: null, after: created });
    return created;
  });
}

export function updatePlan(ctx: ServiceContext, id: string, input: unknown): Plan {
  const patch = parseInput(planPatchSchema, input);
  return ctx.db.transaction((tx) => {
    const before = getPlan(tx, id);
    if (patch.name !== undefined) assertNameFree(tx, patch.name, id);
    tx.update(plans)
      .set({ ...patch, updatedAt: now() })
      .where(eq(plans.id, id))
      .run();
    const after = getPlan(tx, id);
    recordChange(tx, ctx, { action: "update", entityType: "plan", entityId: id, before, after });
    return after;
  });
}

/** Refused while consumers are on it: they would silently lose their limits. */
export function deletePlan(ctx: ServiceContext, id: string): void {
  ctx.db.transaction((tx) => {
    const before = getPlan(tx, id);
    const users = tx.select({ name: consumers.name }).from(consumers).where(eq(consumers.planId, id)).limit(6).all();
    if (users.length > 0) {
      const names = users.slice(0, 5).map((user) => `"${user.name}"`);
      throw conflict(
        `Plan "${before.name}" is used by ${names.length > 1 ? "consumers" : "consumer"} ${names.join(", ")}${users.length > 5 ? " and others" : ""}; move them to another plan first`,
      );
    }
    tx.delete(plans).where(eq(plans.id, id)).run();
    recordChange(tx, ctx, { action: "delete", entityType: "plan", entityId: id, before, after: null });
  });
}

/** A consumer's planId must name a plan: a 400 on the field, not a foreign-key failure. */
export function assertPlanExists(tx: Reader, planId: string | null | undefined): void {
  if (planId === null || planId === undefined) return;
  if (!tx.select({ id: plans.id }).from(plans).where(eq(plans.id, planId)).get()) {
    throw new GatehouseError("validation_failed", "The plan does not exist", [
      { path: "planId", message: `No plan ${planId}` },
    ]);
  }
}
