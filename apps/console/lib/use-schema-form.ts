"use client";

import { type FieldError, fieldErrors } from "@gatehouse/shared";
import { useLayoutEffect, useRef, useState } from "react";
import { ApiError } from "./api-client.ts";

type ZodLikeError = Parameters<typeof fieldErrors>[0];
/** The part of a zod schema the form needs (keeps zod itself out of the console's deps). */
interface Schema<T> {
  safeParse(value: unknown): { success: true; data: T } | { success: false; error: ZodLikeError };
}

interface Asked {
  path: string;
  deep: boolean;
}

const covers = (errorPath: string, path: string) => errorPath === path || errorPath.startsWith(`${path}.`);
const matches = (asked: Asked, errorPath: string) =>
  asked.deep ? covers(errorPath, asked.path) : errorPath === asked.path;

/**
 * The one way a form shows what is wrong. It checks the payload against a shared schema on
 * every render, and decides which message each field shows: its own once it was left (blur) or
 * the form submitted, and the server's `fields` until that field changes. A field shows a
 * message by asking `errorFor(path)`; a server message no rendered field asked for goes to the
 * form's banner (`unplaced`), so nothing the server said is lost and no form keeps a list of
 * the paths it draws.
 */
export function useSchemaForm<T>(schema: Schema<T>, payload: unknown) {
  const [touched, setTouched] = useState<ReadonlySet<string>>(new Set());
  const [submitted, setSubmitted] = useState(false);
  const [serverError, setServerError] = useState<ApiError | Error | null>(null);
  const [serverFields, setServerFields] = useState<FieldError[]>([]);
  // Filled while this render draws its fields (children included); read from the last commit.
  const asking: Asked[] = [];
  const asked = useRef<Asked[]>([]);
  useLayoutEffect(() => {
    asked.current = asking;
  });

  const result = schema.safeParse(payload);
  const clientErrors = result.success ? [] : fieldErrors(result.error);

  /** The message for a field; `deep` also takes messages about its items (`paths` → `paths.0`). */
  function errorFor(path: string, deep = false): string | undefined {
    const field = { path, deep };
    asking.push(field);
    const server = serverFields.find((e) => matches(field, e.path));
    if (server) return server.message;
    if (!submitted && !touched.has(path)) return undefined;
    return clientErrors.find((e) => matches(field, e.path))?.message;
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

  /**
   * The props a text, textarea or select field needs for `path`: its change (which also drops
   * the server's word on it), its blur and its message. `deep` as for `errorFor`.
   */
  function bind(path: string, set: (value: string) => void, deep = false) {
    return {
      onChange: (event: { target: { value: string } }) => {
        set(event.target.value);
        changed(path);
      },
      onBlur: () => blur(path),
      error: errorFor(path, deep),
    };
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

  /** Server field errors no field drew, for the banner. */
  function unplaced(): FieldError[] {
    return serverFields.filter((e) => !asked.current.some((field) => matches(field, e.path)));
  }

  /** Whether some field shows one of the server's messages (so the banner can point at them). */
  const placed = serverFields.length > 0 && unplaced().length < serverFields.length;

  return { valid: result.success, errorFor, blur, changed, bind, submit, fail, reset, serverError, unplaced, placed };
}

export type SchemaForm = ReturnType<typeof useSchemaForm>;
