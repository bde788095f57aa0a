import type { ConfigChange, ConfigPlan } from "@gatehouse/shared";

export interface RouteChange {
  action: ConfigChange["action"];
  name: string;
  methods: string[];
  paths: string[];
}

interface FileRouteLike {
  name?: string;
  methods?: string[];
  paths?: string[];
}

const routesOf = (api: unknown): FileRouteLike[] =>
  api !== null && typeof api === "object" && Array.isArray((api as { routes?: unknown }).routes)
    ? (api as { routes: FileRouteLike[] }).routes
    : [];

const describe = (action: RouteChange["action"], route: FileRouteLike): RouteChange => ({
  action,
  name: route.name ?? "",
  methods: route.methods ?? [],
  paths: route.paths ?? [],
});

/**
 * The routes an import would create, update or delete, read from the API's change in the plan:
 * routes are matched by name, and the plan's `fields` name each route that differs
 * (`routes[getPetById].paths`).
 */
export function routeChanges(plan: ConfigPlan): RouteChange[] {
  const change = plan.changes.find((c) => c.kind === "api");
  if (!change) return [];
  const before = routesOf(change.before);
  const after = routesOf(change.after);
  const saved = new Set(before.map((r) => r.name));
  const kept = new Set(after.map((r) => r.name));
  const differs = (name: string | undefined) => change.fields.some((f) => f.startsWith(`routes[${name ?? ""}]`));
  return [
    ...after.flatMap((r) =>
      !saved.has(r.name) ? [describe("create", r)] : differs(r.name) ? [describe("update", r)] : [],
    ),
    ...before.filter((r) => !kept.has(r.name)).map((r) => describe("delete", r)),
  ];
}

/** What else the plan changes besides routes (the API's own fields, a new pool), in words. */
export function otherChanges(plan: ConfigPlan): string[] {
  return plan.changes.flatMap((c) => {
    const label = `${c.kind === "upstream" ? "Pool" : c.kind === "api" ? "API" : c.kind} ${c.name}`;
    if (c.action !== "update") return [`${label}: ${c.action}`];
    const fields = c.fields.filter((f) => !f.startsWith("routes"));
    return fields.length > 0 ? [`${label}: ${fields.join(", ")}`] : [];
  });
}
