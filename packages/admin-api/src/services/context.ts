import type { ConfigDb } from "@gatehouse/db";
import { fieldErrors, GatehouseError } from "@gatehouse/shared";
import type { z } from "zod";

/** What every service verb gets: the database, who is acting, and where to report the revision it made. */
export interface ServiceContext {
  db: ConfigDb;
  actor: string;
  /** Set by the write to the config revision it produced. */
  revision?: number;
}

export type Tx = Parameters<Parameters<ConfigDb["transaction"]>[0]>[0];

export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) {
    throw new GatehouseError("validation_failed", "The request has invalid fields", fieldErrors(result.error));
  }
  return result.data;
}

export const now = () => new Date().toISOString();
