import type { FieldError } from "@gatehouse/shared";

export interface Candidate<C> {
  id: string;
  name: string;
  managed: boolean;
  object: C;
}

export interface Matched<C> {
  /** The saved object the file's object at this index becomes, or null: it is created. */
  matches: Array<Candidate<C> | null>;
  /** Saved objects the file manages but does not name: deleted when pruning. */
  unnamed: Candidate<C>[];
}

const LABELS: Record<string, string> = {
  upstreams: "upstream",
  apis: "API",
  plans: "plan",
  consumers: "consumer",
};

/**
 * Pairs a file's objects with saved ones: by id when the file gives one, else by name. A
 * saved object outside the managed set (another tag) is never taken over; errors name the
 * file's path.
 */
export function matchObjects<C>(
  base: string,
  file: ReadonlyArray<{ id?: string | undefined; name: string }>,
  saved: Candidate<C>[],
  errors: FieldError[],
  tag: string | undefined,
): Matched<C> {
  const label = LABELS[base] ?? base;
  const byId = new Map(saved.map((c) => [c.id, c]));
  const byName = new Map(saved.map((c) => [c.name, c]));
  const taken = new Set<string>();
  const names = new Map<string, number>();
  const ids = new Map<string, number>();
  const unmanaged = (path: string, c: Candidate<C>) =>
    errors.push({
      path,
      message: `The ${label} "${c.name}" does not have the tag ${tag}, so a file applied with it cannot change it`,
    });
  const matches = file.map((object, index) => {
    const seen = names.get(object.name);
    if (seen !== undefined) errors.push({ path: `${base}.${index}.name`, message: `Also the name of ${base}.${seen}` });
    names.set(object.name, index);
    if (object.id !== undefined) {
      const again = ids.get(object.id);
      if (again !== undefined) errors.push({ path: `${base}.${index}.id`, message: `Also the id of ${base}.${again}` });
      ids.set(object.id, index);
    }
    const candidate = object.id !== undefined ? byId.get(object.id) : byName.get(object.name);
    if (candidate === undefined) return null;
    if (!candidate.managed) {
      unmanaged(`${base}.${index}.${object.id !== undefined ? "id" : "name"}`, candidate);
      return null;
    }
    if (taken.has(candidate.id)) {
      errors.push({ path: `${base}.${index}.name`, message: `Names the same saved ${label} as another entry` });
      return null;
    }
    taken.add(candidate.id);
    return candidate;
  });
  const unnamed = saved.filter((c) => c.managed && !taken.has(c.id));
  return { matches, unnamed };
}

/**
 * After the apply, names stay unique per kind: a created or renamed object may not take the
 * name of a saved one that stays (not matched, not deleted).
 */
export function checkNamesFree<C>(
  base: string,
  file: ReadonlyArray<{ name: string }>,
  matched: Matched<C>,
  saved: Candidate<C>[],
  deleted: ReadonlySet<string>,
  errors: FieldError[],
  key: (name: string) => string = (name) => name,
): void {
  const label = LABELS[base] ?? base;
  const moved = new Set(matched.matches.flatMap((c) => (c ? [c.id] : [])));
  const staying = new Map(
    saved.filter((c) => !moved.has(c.id) && !deleted.has(c.id)).map((c) => [key(c.name), c.name]),
  );
  file.forEach((object, index) => {
    const clash = staying.get(key(object.name));
    if (clash !== undefined) {
      errors.push({
        path: `${base}.${index}.name`,
        message:
          clash === object.name
            ? `A ${label} named "${clash}" exists and this apply leaves it in place`
            : `Too close to the name of the ${label} "${clash}", which this apply leaves in place`,
      });
    }
  });
}
