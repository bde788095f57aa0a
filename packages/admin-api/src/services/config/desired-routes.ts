import type { RouteRow } from "@gatehouse/db";
import { type ConfigFile, newId } from "@gatehouse/shared";
import type { ApiObject } from "./config-objects.ts";
import type { ResolveEnv } from "./desired-policies.ts";

/** Routes keep their saved ids when the file gives the id, the name, or the same paths and methods. */
export function desiredRoutes(
  file: ConfigFile["apis"][number]["routes"],
  saved: ApiObject | undefined,
  apiId: string,
  apiIndex: number,
  { savedIds, errors, now }: ResolveEnv,
): RouteRow[] {
  const signature = (r: { paths: string[]; methods: string[]; hosts: string[] }) =>
    JSON.stringify([[...r.paths].sort(), [...r.methods].sort(), [...r.hosts].sort()]);
  const pool = [...(saved?.routes ?? [])];
  const take = (test: (route: RouteRow) => boolean) => {
    const index = pool.findIndex(test);
    return index < 0 ? undefined : pool.splice(index, 1)[0];
  };
  // Ids first, then names, then shapes, so a renamed route found by its id is not claimed by shape.
  const found: Array<RouteRow | undefined> = file.map((route) =>
    route.id ? take((r) => r.id === route.id) : undefined,
  );
  file.forEach((route, r) => {
    if (!found[r] && route.name) found[r] = take((s) => s.name === route.name);
  });
  file.forEach((route, r) => {
    if (!found[r]) found[r] = take((s) => signature(s) === signature(route));
  });
  const ids = new Set<string>();
  return file.map((route, r) => {
    const { policies: _policies, id: fileId, name, ...fields } = route;
    const id = found[r]?.id ?? (fileId !== undefined && !savedIds.has(fileId) ? fileId : newId("route"));
    if (ids.has(id)) errors.push({ path: `apis.${apiIndex}.routes.${r}.id`, message: "Also the id of another route" });
    ids.add(id);
    return {
      ...fields,
      id,
      apiId,
      name: name ?? null,
      createdAt: found[r]?.createdAt ?? now,
      updatedAt: found[r]?.updatedAt ?? now,
    };
  });
}
