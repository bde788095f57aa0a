import { apis } from "@gatehouse/db";
import { conflict } from "@gatehouse/shared";
import { and, eq, ne, or } from "drizzle-orm";
import type { Tx } from "../context.ts";

export function slugify(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "") || "api"
  );
}

/** Two names with one slug ("Orders v2", "orders-v2") would share the API's address in the console. */
export function assertApiNameFree(tx: Pick<Tx, "select">, name: string, exceptId?: string): string {
  const slug = slugify(name);
  const clash = tx
    .select({ name: apis.name })
    .from(apis)
    .where(and(exceptId ? ne(apis.id, exceptId) : undefined, or(eq(apis.name, name), eq(apis.slug, slug))))
    .get();
  if (clash === undefined) return slug;
  if (clash.name === name) {
    throw conflict(`An API named "${name}" already exists`, [{ path: "name", message: "Already taken" }]);
  }
  throw conflict(`"${name}" is too close to the name of API "${clash.name}"; choose a more distinct name`, [
    { path: "name", message: `Too close to "${clash.name}"` },
  ]);
}
