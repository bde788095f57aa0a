import { z } from "zod";
import type { FieldError } from "../errors.ts";

export const nameSchema = z
  .string()
  .trim()
  .min(1, "Name is required")
  .max(100, "Name must be at most 100 characters")
  .regex(/^[A-Za-z0-9][A-Za-z0-9 ._-]*$/, "Use letters, digits, spaces, dots, dashes and underscores")
  .meta({ title: "Name", description: "Unique, human-readable name" });

export const tagsSchema = z
  .array(
    z
      .string()
      .trim()
      .min(1)
      .max(50)
      .regex(/^[a-z0-9:._-]+$/i, "Tags are single words"),
  )
  .max(20)
  .meta({ title: "Tags" });

export const timestampSchema = z.string().meta({ description: "ISO 8601 time" });

export const listQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
  name: z.string().trim().max(100).optional().meta({ description: "Case-insensitive substring of the name" }),
  tag: z.string().trim().max(50).optional(),
});
export type ListQuery = z.infer<typeof listQuerySchema>;

/** One page of a list: the Admin API answers it, the console reads it. */
export function pageSchema<T extends z.ZodType>(item: T) {
  return z.object({
    data: z.array(item),
    total: z.int().meta({ description: "Items matching the filter, on every page" }),
    limit: z.int(),
    offset: z.int(),
  });
}
export type Page<T> = z.infer<ReturnType<typeof pageSchema<z.ZodType<T>>>>;

export const UNKNOWN_FIELD = "unknown field";

const joinPath = (path: readonly PropertyKey[]) => path.map(String).join(".");

/** Turns zod issues into the `fields` of the error envelope: one entry per bad field, each unknown key on its own. */
export function fieldErrors(error: z.ZodError): FieldError[] {
  return error.issues.flatMap((issue) =>
    issue.code === "unrecognized_keys"
      ? issue.keys.map((key) => ({ path: joinPath([...issue.path, key]), message: UNKNOWN_FIELD }))
      : [{ path: joinPath(issue.path), message: issue.message }],
  );
}

/** Title and description a form draws a field's label and hint from (looking through optional/default wrappers). */
export function fieldMeta(schema: z.ZodObject, key: string): { title: string; description?: string } {
  let field = schema.shape[key] as z.ZodType | undefined;
  let meta = (field?.meta() ?? {}) as { title?: string; description?: string };
  while (field && meta.title === undefined && "unwrap" in field && typeof field.unwrap === "function") {
    field = field.unwrap() as z.ZodType;
    meta = { ...(field.meta() ?? {}), ...meta } as typeof meta;
  }
  return { title: meta.title ?? key, ...(meta.description ? { description: meta.description } : {}) };
}

type Undefaulted<F> = F extends z.ZodDefault<infer Inner> ? Inner : F extends z.ZodPrefault<infer Inner> ? Inner : F;

/**
 * The PATCH form of a create schema: every field optional and no defaults, so a patch only
 * changes the fields it names (zod's `.partial()` would fill the rest back to their defaults).
 */
export function patchOf<T extends z.ZodRawShape>(
  schema: z.ZodObject<T>,
): z.ZodObject<{ [K in keyof T]: z.ZodOptional<Undefaulted<T[K]>> }, z.core.$strict> {
  const shape: Record<string, z.ZodType> = {};
  for (const [key, field] of Object.entries(schema.shape)) {
    const inner =
      field instanceof z.ZodDefault || field instanceof z.ZodPrefault
        ? (field.unwrap() as z.ZodType)
        : (field as z.ZodType);
    const meta = (field as z.ZodType).meta();
    shape[key] = meta ? inner.optional().meta(meta) : inner.optional();
  }
  return z.strictObject(shape) as never;
}
