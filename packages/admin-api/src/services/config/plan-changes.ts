import { CONFIG_OBJECT_KINDS, type ConfigChange, type ConfigObjectKind } from "@gatehouse/shared";
import { type AnyObject, type ConfigObjects, eachObject, objectName } from "./config-objects.ts";
import type { DesiredConfig } from "./desired-config.ts";
import { type FileNames, fileNames, fileObject } from "./to-config-file.ts";

const isRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === "object" && !Array.isArray(value);

/** Deep equality of JSON values, blind to the order of object keys. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, i) => sameValue(item, b[i]));
  if (isRecord(a) && isRecord(b)) {
    const keys = Object.keys(a).filter((key) => a[key] !== undefined);
    return (
      keys.length === Object.keys(b).filter((key) => b[key] !== undefined).length &&
      keys.every((key) => sameValue(a[key], b[key]))
    );
  }
  return false;
}

/** How a list item is named in a changed field's path: routes[orders], policies[cors], targets[http://…]. */
function label(item: unknown): string | undefined {
  if (!isRecord(item)) return undefined;
  for (const key of ["name", "type", "url"]) if (typeof item[key] === "string") return item[key] as string;
  return Array.isArray(item.paths) ? item.paths.join(",") : undefined;
}

/** The paths at which two file forms differ, as a reader names them. */
export function changedFields(before: unknown, after: unknown, path = ""): string[] {
  if (sameValue(before, after)) return [];
  const at = (key: string) => (path === "" ? key : `${path}.${key}`);
  if (isRecord(before) && isRecord(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((key) => key !== "id");
    return keys.flatMap((key) => changedFields(before[key], after[key], at(key)));
  }
  if (Array.isArray(before) && Array.isArray(after) && before.length + after.length > 0) {
    const labels = [...before, ...after].map(label);
    const unique = (list: unknown[]) => new Set(list.map(label)).size === list.length;
    if (labels.every((l) => l !== undefined) && unique(before) && unique(after)) {
      const old = new Map(before.map((item) => [label(item), item]));
      const now = new Map(after.map((item) => [label(item), item]));
      return [...new Set(labels as string[])].flatMap((key) =>
        changedFields(old.get(key), now.get(key), `${path}[${key}]`),
      );
    }
  }
  return [path];
}

const ORDER: Record<ConfigObjectKind, number> = Object.fromEntries(
  CONFIG_OBJECT_KINDS.map((kind, i) => [kind, i]),
) as never;

function display(kind: ConfigObjectKind, object: AnyObject | null, names: FileNames) {
  return object === null ? null : fileObject(kind, object, names);
}

/** Names for references: what the file makes first, else what is saved. */
export function combinedNames(...configs: ConfigObjects[]): FileNames {
  const all = configs.map(fileNames);
  const pick = (get: (names: FileNames) => (id: string) => string) => (id: string) =>
    all.map((names) => get(names)(id)).find((name) => name !== id) ?? id;
  return { upstream: pick((n) => n.upstream), plan: pick((n) => n.plan) };
}

/** One change per object that differs: created, updated (with the fields), or deleted. */
export function describeChange(
  kind: ConfigObjectKind,
  id: string,
  before: AnyObject | null,
  after: AnyObject | null,
  names: FileNames,
): ConfigChange | null {
  const name = objectName(kind, (after ?? before) as AnyObject);
  if (before === null && after === null) return null;
  if (before === null || after === null) {
    return {
      action: before === null ? "create" : "delete",
      kind,
      id,
      name,
      fields: [],
      before: display(kind, before, names),
      after: display(kind, after, names),
    };
  }
  const fields = changedFields(
    fileObject(kind, before, names, { secrets: true }),
    fileObject(kind, after, names, { secrets: true }),
  );
  if (fields.length === 0) return null;
  return {
    action: "update",
    kind,
    id,
    name,
    fields,
    before: display(kind, before, names),
    after: display(kind, after, names),
  };
}

/** What applying the desired config changes, in a stable order: by kind, then name. */
export function planChanges({ current, desired, deleted }: DesiredConfig): ConfigChange[] {
  const names = combinedNames(desired, current);
  const saved = new Map(eachObject(current).map(({ kind, id, object }) => [`${kind}:${id}`, object]));
  const changes = [
    ...eachObject(desired).map(({ kind, id, object }) =>
      describeChange(kind, id, saved.get(`${kind}:${id}`) ?? null, object, names),
    ),
    ...deleted.map(({ kind, id, object }) => describeChange(kind, id, object, null, names)),
  ].filter((change): change is ConfigChange => change !== null);
  return changes.sort((a, b) => ORDER[a.kind] - ORDER[b.kind] || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
