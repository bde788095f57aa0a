import { z } from "zod";

/**
 * A policy's config as the Admin API may show it: fields whose schema says `writeOnly`
 * (a JWT secret) are left out, and a password inside any URL (a Redis URL) is masked.
 */
export function redactConfig(schema: z.ZodObject, config: Record<string, unknown>): Record<string, unknown> {
  const shape: Record<string, z.ZodType> = schema.shape;
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(config)) {
    if (shape[name]?.meta()?.writeOnly === true) continue;
    out[name] = typeof value === "string" ? maskUrlPassword(value) : value;
  }
  return out;
}

/** The names of the write-only fields a saved config has, so a form can say "set, hidden". */
export function writeOnlyFields(schema: z.ZodObject): string[] {
  return Object.entries(schema.shape).flatMap(([name, field]) => (field.meta()?.writeOnly === true ? [name] : []));
}

/** The shape `redactConfig` gives: the config's fields without the write-only ones (for the OpenAPI document). */
export function redactedConfigSchema(schema: z.ZodObject): z.ZodObject {
  const hidden = new Set(writeOnlyFields(schema));
  return z.object(Object.fromEntries(Object.entries(schema.shape).filter(([name]) => !hidden.has(name))));
}

/** Masks a password in a URL's user info and in a `password` query parameter (ioredis reads both). */
function maskUrlPassword(value: string): string {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return value;
  try {
    const url = new URL(value);
    if (url.password === "" && !url.searchParams.has("password")) return value;
    if (url.password !== "") url.password = MASK;
    if (url.searchParams.has("password")) url.searchParams.set("password", MASK);
    return url.toString();
  } catch {
    return value;
  }
}

const MASK = "****";

/**
 * A config patch without the values that are only the redacted form of what is saved, so a
 * client that sends back what it was shown (a masked Redis URL) does not overwrite the secret.
 */
export function withoutRedacted(
  schema: z.ZodObject,
  saved: Record<string, unknown>,
  patch: Record<string, unknown>,
): Record<string, unknown> {
  const shown = redactConfig(schema, saved);
  return Object.fromEntries(
    Object.entries(patch).filter(([name, value]) => !(shown[name] !== saved[name] && value === shown[name])),
  );
}
