"use client";

import { type FieldError, fieldErrors } from "@gatehouse/shared";
import { useState } from "react";
import { ApiError } from "./api-client.ts";

type ZodLikeError = Parameters<typeof fieldErrors>[0];
/** The part of a zod schema the form needs (keeps zod itself out of the console's deps). */
interface Schema<T> {
  safeParse(value: unknown): { success: true; data: T } | { success: false; error: ZodLikeError };
}

const covers = (errorPath: string, path: string) => errorPath === path || errorPath.startsWith(`${path}.`);

/**
 * Validates a form's payload against a shared schema on every render and decides which
 * messages to show: a field's own once it was left (blur) or the form submitted, and the
 * server's `fields` until that field changes.
 */
export function useSchemaForm<T>(schema: Schema<T>, payload: unknown) {
  const [touched, setTouched] = useState<ReadonlySet<string>>(new Set());
  const [submitted, setSubmitted] = useState(false);
  const [serverError, setServerError] = useState<ApiError | Error | null>(null);
  const [serverFields, setServerFields] = useState<FieldError[]>([]);

  const result = schema.safeParse(payload);
  const clientErrors = result.success ? [] : fieldErrors(result.error);

  /** The message for a field; `deep` also takes messages about its items (`paths` → `paths.0`). */
  function errorFor(path: string, deep = false): string | undefined {
    const matches = (errorPath: string) => (deep ? covers(errorPath, path) : errorPath === path);
    const server = serverFields.find((e) => matches(e.path));
    if (server) return server.message;
    if (!submitted && !touched.has(path)) return undefined;
    return clientErrors.find((e) => matches(e.path))?.message;
  }

  function blur(path: string) {
    setTouched((prev) => (prev.has(path) ? prev : new Set(prev).add(path)));
  }

  /** Forget the server's word on a field once the user edits it. */
  function changed(path: string) {
    setServerFields((prev) =>
      prev.some((e) => covers(e.path, path)) ? prev.filter((e) => !covers(e.path, path)) : prev,
    );
  }

  /** Marks the form submitted; returns the parsed value when it is valid. */
  function submit(): T | null {
    setSubmitted(true);
    setServerError(null);
    setServerFields([]);
    return result.success ? result.data : null;
  }

  function fail(error: unknown) {
    const err = error instanceof Error ? error : new Error("Something went wrong");
    setServerError(err);
    setServerFields(err instanceof ApiError ? err.fields : []);
  }

  function reset() {
    setTouched(new Set());
    setSubmitted(false);
    setServerError(null);
    setServerFields([]);
  }

  /** Server field errors the form has no field for, to be shown in the banner. */
  function unplacedServerFields(isPlaced: (path: string) => boolean): FieldError[] {
    return serverFields.filter((e) => !isPlaced(e.path));
  }

  return { valid: result.success, errorFor, blur, changed, submit, fail, reset, serverError, unplacedServerFields };
}

export type SchemaForm = ReturnType<typeof useSchemaForm>;
