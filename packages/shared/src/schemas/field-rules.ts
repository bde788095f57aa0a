import { z } from "zod";

type Scalar = string | number | boolean;

/** The sibling values under which a field applies: each named sibling has that value (or one of a list). */
export type ShownWhen = Readonly<Record<string, Scalar | readonly Scalar[]>>;

/**
 * Rules for forms, kept apart from the global registry so they stay out of the JSON Schemas
 * the Admin API publishes (a validator would refuse an unknown keyword there).
 */
const fieldRules = z.registry<{ when: ShownWhen }>();

/**
 * Marks fields of an object schema as applying only under a choice of their siblings, e.g.
 * `{ store: "redis" }`; forms hide them otherwise. Stated beside the schema, not in each form.
 */
export function shownWhen<S extends { shape: Record<string, z.ZodType> }>(
  schema: S,
  when: ShownWhen,
  keys: readonly (keyof S["shape"] & string)[],
): void {
  for (const key of keys) schema.shape[key]?.register(fieldRules, { when });
}

/** The field's rule, if it has one. */
export function whenOf(field: z.ZodType | undefined): ShownWhen | undefined {
  return field ? fieldRules.get(field)?.when : undefined;
}

/** Whether a field with this rule applies given its siblings' values; a list sibling matches on any item. */
export function applies(when: ShownWhen | undefined, siblings: Readonly<Record<string, unknown>>): boolean {
  if (!when) return true;
  return Object.entries(when).every(([key, wanted]) => {
    const accepted: readonly unknown[] = Array.isArray(wanted) ? wanted : [wanted];
    const value = siblings[key];
    const values: readonly unknown[] = Array.isArray(value) ? value : [value];
    return values.some((item) => accepted.includes(item));
  });
}

/** Whether `key` of an object schema applies given the object's values (fields without a rule always do). */
export function fieldApplies(
  schema: { shape: Record<string, z.ZodType> },
  key: string,
  values: Readonly<Record<string, unknown>>,
): boolean {
  return applies(whenOf(schema.shape[key]), values);
}
