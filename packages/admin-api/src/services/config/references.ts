import type { PolicyRow, RouteRow } from "@gatehouse/db";
import { findPolicySchema } from "@gatehouse/policies/schemas";
import type { ConfigObjectKind, FieldError } from "@gatehouse/shared";
import { collidingPaths, describeRoute, normalizePath } from "../routes/collisions.ts";
import type { AnyObject, ConfigObjects, UpstreamObject } from "./config-objects.ts";

/** APIs the apply leaves as they are: saved, not named by the file, not deleted. */
function untouchedApis(current: ConfigObjects, desired: ConfigObjects, deletedApis: ReadonlySet<string>) {
  const named = new Set(desired.apis.map(({ api }) => api.id));
  return current.apis.filter(({ api }) => !named.has(api.id) && !deletedApis.has(api.id));
}

/** Two routes of the final config may not claim the same requests; the file's route is blamed. */
export function checkRouteCollisions(
  current: ConfigObjects,
  desired: ConfigObjects,
  deletedApis: ReadonlySet<string>,
  errors: FieldError[],
): void {
  const all: Array<{ route: RouteRow; api: string; field?: string }> = [
    ...untouchedApis(current, desired, deletedApis).flatMap(({ api, routes }) =>
      routes.map((route) => ({ route, api: api.name })),
    ),
    ...desired.apis.flatMap(({ api, routes }, i) =>
      routes.map((route, r) => ({ route, api: api.name, field: `apis.${i}.routes.${r}` })),
    ),
  ];
  const byPath = new Map<string, typeof all>();
  for (const entry of all) {
    for (const path of new Set(entry.route.paths.map(normalizePath)))
      byPath.set(path, [...(byPath.get(path) ?? []), entry]);
  }
  const reported = new Set<string>();
  for (const entry of all) {
    if (entry.field === undefined) continue;
    const nearby = new Set(entry.route.paths.flatMap((path) => byPath.get(normalizePath(path)) ?? []));
    for (const other of nearby) {
      if (other === entry || reported.has(other.route.id)) continue;
      const clash = collidingPaths(entry.route, other.route);
      if (!clash) continue;
      reported.add(entry.route.id);
      errors.push({
        path: `${entry.field}.paths.${entry.route.paths.indexOf(clash.mine)}`,
        message: `API "${other.api}" already serves ${describeRoute(other.route, clash.theirs)}`,
      });
      break;
    }
  }
}

function namedUpstreams(policy: PolicyRow): string[] {
  return (findPolicySchema(policy.type)?.upstreamFields ?? []).flatMap((field) => {
    const value = policy.config[field];
    return typeof value === "string" ? [value] : [];
  });
}

/** A pool or plan the apply deletes may not stay in use by what the apply leaves or writes. */
export function checkStillUsed(
  current: ConfigObjects,
  desired: ConfigObjects,
  deleted: Array<{ kind: ConfigObjectKind; id: string; object: AnyObject }>,
  errors: FieldError[],
): void {
  const deletedApis = new Set(deleted.filter((d) => d.kind === "api").map((d) => d.id));
  const deletedConsumers = new Set(deleted.filter((d) => d.kind === "consumer").map((d) => d.id));
  const apis = [...untouchedApis(current, desired, deletedApis), ...desired.apis];
  const namedConsumers = new Set(desired.consumers.map(({ consumer }) => consumer.id));
  const consumers = [
    ...current.consumers.filter(
      ({ consumer }) => !namedConsumers.has(consumer.id) && !deletedConsumers.has(consumer.id),
    ),
    ...desired.consumers,
  ];
  const deletedPolicies = new Set(deleted.filter((d) => d.kind === "policy").map((d) => d.id));
  const namedPolicies = new Set(desired.policies.map(({ policy }) => policy.id));
  const policies = [
    ...apis.flatMap((o) => o.policies),
    ...consumers.flatMap((o) => o.policies),
    ...desired.policies.map((o) => o.policy),
    ...current.policies
      .map((o) => o.policy)
      .filter((policy) => !namedPolicies.has(policy.id) && !deletedPolicies.has(policy.id)),
  ];
  for (const { kind, id, object } of deleted) {
    if (kind === "upstream") {
      const name = (object as UpstreamObject).upstream.name;
      const api = apis.find((o) => o.api.upstreamId === id);
      const policy = policies.find((p) => namedUpstreams(p).includes(id));
      if (api)
        errors.push({
          path: "upstreams",
          message: `The upstream "${name}" is left out but API "${api.api.name}" uses it`,
        });
      else if (policy)
        errors.push({
          path: "upstreams",
          message: `The upstream "${name}" is left out but a ${policy.type} policy names it`,
        });
    } else if (kind === "plan") {
      const consumer = consumers.find((o) => o.consumer.planId === id);
      if (consumer)
        errors.push({ path: "plans", message: `A plan is left out but consumer "${consumer.consumer.name}" is on it` });
    }
  }
}
