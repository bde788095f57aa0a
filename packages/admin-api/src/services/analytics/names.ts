import { apis, type ConfigDb, consumers } from "@gatehouse/db";
import { unnamedConsumer } from "@gatehouse/shared";
import { inArray } from "drizzle-orm";

/** Display names for ids found in analytics; the ids the gateway uses for "no consumer" and "other" read as such. */
export function apiNames(db: ConfigDb, ids: string[]): Map<string, string> {
  const rows =
    ids.length === 0 ? [] : db.select({ id: apis.id, name: apis.name }).from(apis).where(inArray(apis.id, ids)).all();
  return new Map(
    ids.map((id) => [
      id,
      id === "" ? "No route matched" : (rows.find((row) => row.id === id)?.name ?? "(deleted API)"),
    ]),
  );
}

export function consumerNames(db: ConfigDb, ids: string[]): Map<string, string> {
  const real = ids.filter((id) => unnamedConsumer(id) === undefined);
  const rows =
    real.length === 0
      ? []
      : db.select({ id: consumers.id, name: consumers.name }).from(consumers).where(inArray(consumers.id, real)).all();
  return new Map(
    ids.map((id) => [id, unnamedConsumer(id) ?? rows.find((row) => row.id === id)?.name ?? "(deleted consumer)"]),
  );
}
