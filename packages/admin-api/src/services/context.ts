import type { ConfigDb } from "@gatehouse/db";
import { type ConfigObjectKind, fieldErrors, GatehouseError, type RevisionSource } from "@gatehouse/shared";
import type { z } from "zod";

/** What every service verb gets: the database, who is acting, and where to report the revision it made. */
export interface ServiceContext {
  db: ConfigDb;
  actor: string;
  /** Set by the write to the config revision it produced. */
  revision?: number;
  /** Where the change comes from, as History shows it; "api" when unset. */
  source?: RevisionSource;
  /** From `If-Match`: the revision the caller last saw. A write on top of any other is refused (412). */
  expectedRevision?: number;
  /** Set while several transactions' writes make one revision (a file apply); see `inOneRevision`. */
  batch?: RevisionBatch;
}

/** The writes of one revision: its number once the first write takes one, and the file objects they changed. */
export interface RevisionBatch {
  revision?: number;
  objects: Map<string, { kind: ConfigObjectKind; id: string }>;
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
