import {
  type ApiRow,
  apis,
  type ConfigDb,
  type ConfigSnapshot,
  type ConsumerRow,
  consumers,
  type PlanRow,
  type PolicyRow,
  plans,
  policies,
  type RouteRow,
  readAll,
  routes,
  type TargetRow,
  targets,
  type UpstreamRow,
  upstreams,
} from "@gatehouse/db";
import type { ConfigObjectKind } from "@gatehouse/shared";

/**
 * The rows of each config-file object: an API with its routes and the policies on it and on
 * its routes, a pool with its targets, a consumer with its policies, a plan, a global policy.
 * A dump, a revision's diff and a rollback are all made from these.
 */
export interface ApiObject {
  api: ApiRow;
  routes: RouteRow[];
  policies: PolicyRow[];
}
export interface UpstreamObject {
  upstream: UpstreamRow;
  targets: TargetRow[];
}
export interface ConsumerObject {
  consumer: ConsumerRow;
  policies: PolicyRow[];
}
export interface PlanObject {
  plan: PlanRow;
}
export interface PolicyObject {
  policy: PolicyRow;
}

export interface ConfigObjects {
  upstreams: UpstreamObject[];
  apis: ApiObject[];
  plans: PlanObject[];
  consumers: ConsumerObject[];
  policies: PolicyObject[];
}

export type AnyObject = ApiObject | UpstreamObject | ConsumerObject | PlanObject | PolicyObject;

type Sqlite = ConfigDb["$client"];

function groupBy<T>(rows: T[], key: (row: T) => string | null): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const row of rows) {
    const k = key(row);
    if (k === null) continue;
    const list = out.get(k);
    if (list) list.push(row);
    else out.set(k, [row]);
  }
  return out;
}

function assemble(rows: Omit<ConfigSnapshot, "revision" | "cachePurges" | "certificates">): ConfigObjects {
  const routesByApi = groupBy(rows.routes, (route) => route.apiId);
  const apiOfRoute = new Map(rows.routes.map((route) => [route.id, route.apiId]));
  const policiesByApi = groupBy(
    rows.policies,
    (policy) => policy.apiId ?? (policy.routeId ? (apiOfRoute.get(policy.routeId) ?? null) : null),
  );
  const policiesByConsumer = groupBy(rows.policies, (policy) => policy.consumerId);
  const targetsByUpstream = groupBy(rows.targets, (target) => target.upstreamId);
  return {
    upstreams: rows.upstreams.map((upstream) => ({ upstream, targets: targetsByUpstream.get(upstream.id) ?? [] })),
    apis: rows.apis.map((api) => ({
      api,
      routes: routesByApi.get(api.id) ?? [],
      policies: policiesByApi.get(api.id) ?? [],
    })),
    plans: rows.plans.map((plan) => ({ plan })),
    consumers: rows.consumers.map((consumer) => ({
      consumer,
      policies: policiesByConsumer.get(consumer.id) ?? [],
    })),
    policies: rows.policies
      .filter((policy) => !policy.apiId && !policy.routeId && !policy.consumerId)
      .map((policy) => ({ policy })),
  };
}

/** Every object, read in the caller's transaction (or outside one, for a dump). */
export function readConfigObjects(sqlite: Sqlite): ConfigObjects {
  return assemble({
    apis: readAll(sqlite, apis),
    routes: readAll(sqlite, routes),
    upstreams: readAll(sqlite, upstreams),
    targets: readAll(sqlite, targets),
    consumers: readAll(sqlite, consumers),
    plans: readAll(sqlite, plans),
    policies: readAll(sqlite, policies),
  });
}

const by = (sql: string, ...params: unknown[]) => ({ sql, params });

/** One object as it stands now, or null when it does not exist. */
export function readObject(sqlite: Sqlite, kind: ConfigObjectKind, id: string): AnyObject | null {
  switch (kind) {
    case "api": {
      const api = readAll(sqlite, apis, by("id = ?", id))[0];
      if (!api) return null;
      return {
        api,
        routes: readAll(sqlite, routes, by("api_id = ?", id)),
        policies: readAll(
          sqlite,
          policies,
          by("api_id = ? OR route_id IN (SELECT id FROM routes WHERE api_id = ?)", id, id),
        ),
      };
    }
    case "upstream": {
      const upstream = readAll(sqlite, upstreams, by("id = ?", id))[0];
      return upstream ? { upstream, targets: readAll(sqlite, targets, by("upstream_id = ?", id)) } : null;
    }
    case "consumer": {
      const consumer = readAll(sqlite, consumers, by("id = ?", id))[0];
      return consumer ? { consumer, policies: readAll(sqlite, policies, by("consumer_id = ?", id)) } : null;
    }
    case "plan": {
      const plan = readAll(sqlite, plans, by("id = ?", id))[0];
      return plan ? { plan } : null;
    }
    case "policy": {
      const policy = readAll(sqlite, policies, by("id = ?", id))[0];
      return policy ? { policy } : null;
    }
  }
}

export function objectName(kind: ConfigObjectKind, object: AnyObject): string {
  switch (kind) {
    case "api":
      return (object as ApiObject).api.name;
    case "upstream":
      return (object as UpstreamObject).upstream.name;
    case "consumer":
      return (object as ConsumerObject).consumer.name;
    case "plan":
      return (object as PlanObject).plan.name;
    case "policy":
      return (object as PolicyObject).policy.type;
  }
}

/** Every object of `objects` with its kind and id: a flat list to index versions and diffs by. */
export function eachObject(objects: ConfigObjects): Array<{ kind: ConfigObjectKind; id: string; object: AnyObject }> {
  return [
    ...objects.upstreams.map((object) => ({ kind: "upstream" as const, id: object.upstream.id, object })),
    ...objects.apis.map((object) => ({ kind: "api" as const, id: object.api.id, object })),
    ...objects.plans.map((object) => ({ kind: "plan" as const, id: object.plan.id, object })),
    ...objects.consumers.map((object) => ({ kind: "consumer" as const, id: object.consumer.id, object })),
    ...objects.policies.map((object) => ({ kind: "policy" as const, id: object.policy.id, object })),
  ];
}

/** Every object of `objects` by `kind:id`. */
export function keyedObjects(objects: ConfigObjects): Map<string, AnyObject> {
  return new Map(eachObject(objects).map(({ kind, id, object }) => [`${kind}:${id}`, object]));
}

/** The reverse of eachObject: versions read back into a config. */
export function collectObjects(list: Array<{ kind: ConfigObjectKind; object: AnyObject }>): ConfigObjects {
  const out: ConfigObjects = { upstreams: [], apis: [], plans: [], consumers: [], policies: [] };
  for (const { kind, object } of list) {
    if (kind === "api") out.apis.push(object as ApiObject);
    else if (kind === "upstream") out.upstreams.push(object as UpstreamObject);
    else if (kind === "consumer") out.consumers.push(object as ConsumerObject);
    else if (kind === "plan") out.plans.push(object as PlanObject);
    else out.policies.push(object as PolicyObject);
  }
  return out;
}

/** The consumers' keys as the file lists them: references only. */
export function readKeyReferences(sqlite: Sqlite): Map<string, Array<{ id: string; prefix: string; name: string }>> {
  const rows = sqlite
    .prepare("SELECT consumer_id, id, prefix, name FROM api_keys ORDER BY prefix, id")
    .raw()
    .all() as Array<[string, string, string, string]>;
  const out = new Map<string, Array<{ id: string; prefix: string; name: string }>>();
  for (const [consumerId, id, prefix, name] of rows) {
    const list = out.get(consumerId) ?? [];
    list.push({ id, prefix, name });
    out.set(consumerId, list);
  }
  return out;
}
