import type { ConfigDb } from "@gatehouse/db";
import { type ConfigFile, type ConfigObjectKind, type FieldError, newId, targetUrlKey } from "@gatehouse/shared";
import { slugify } from "../apis/slug.ts";
import { now as nowIso } from "../context.ts";
import { poolTlsProblems, withSavedKey } from "../upstreams/pool-tls.ts";
import {
  type AnyObject,
  type ApiObject,
  type ConfigObjects,
  type ConsumerObject,
  type PlanObject,
  type PolicyObject,
  readConfigObjects,
  type UpstreamObject,
} from "./config-objects.ts";
import { desiredPolicies, type ResolveEnv } from "./desired-policies.ts";
import { desiredRoutes } from "./desired-routes.ts";
import { type Candidate, checkNamesFree, matchObjects } from "./match-objects.ts";
import { invalidFile } from "./read-config-file.ts";
import { checkRouteCollisions, checkStillUsed } from "./references.ts";

export interface ApplyScope {
  /** Manage only APIs and upstreams with this tag. */
  selectTag?: string | undefined;
  /** Delete the managed objects the file leaves out. */
  prune: boolean;
}

/** What the config becomes: the file's objects as rows with their final ids, and what goes. */
export interface DesiredConfig {
  current: ConfigObjects;
  desired: ConfigObjects;
  deleted: Array<{ kind: ConfigObjectKind; id: string; object: AnyObject }>;
}

const candidates = <C>(list: C[], id: (c: C) => string, name: (c: C) => string, managed: (c: C) => boolean) =>
  list.map((object): Candidate<C> => ({ id: id(object), name: name(object), managed: managed(object), object }));

/** Refuses, with every problem found, a file that cannot become the config; nothing is written here. */
export function resolveDesired(db: ConfigDb, file: ConfigFile, scope: ApplyScope): DesiredConfig {
  const errors: FieldError[] = [];
  const now = nowIso();
  const tag = scope.selectTag;
  const current = readConfigObjects(db.$client);
  if (tag !== undefined) {
    for (const kind of ["plans", "consumers", "policies"] as const) {
      if (file[kind].length > 0)
        errors.push({
          path: kind,
          message: `Only APIs and upstreams carry tags: leave ${kind} out of a file applied with a tag`,
        });
    }
    for (const object of [...file.apis, ...file.upstreams]) if (!object.tags.includes(tag)) object.tags.push(tag);
  }
  const tagged = (tags: string[]) => tag === undefined || tags.includes(tag);
  const untagged = () => tag === undefined;

  const savedUpstreams = candidates(
    current.upstreams,
    (o) => o.upstream.id,
    (o) => o.upstream.name,
    (o) => tagged(o.upstream.tags),
  );
  const savedApis = candidates(
    current.apis,
    (o) => o.api.id,
    (o) => o.api.name,
    (o) => tagged(o.api.tags),
  );
  const savedPlans = candidates(
    current.plans,
    (o) => o.plan.id,
    (o) => o.plan.name,
    untagged,
  );
  const savedConsumers = candidates(
    current.consumers,
    (o) => o.consumer.id,
    (o) => o.consumer.name,
    untagged,
  );
  const upstreamMatch = matchObjects("upstreams", file.upstreams, savedUpstreams, errors, tag);
  const apiMatch = matchObjects("apis", file.apis, savedApis, errors, tag);
  const planMatch = matchObjects("plans", file.plans, savedPlans, errors, tag);
  const consumerMatch = matchObjects("consumers", file.consumers, savedConsumers, errors, tag);
  const gone = <C>(unnamed: Candidate<C>[]) => new Set(scope.prune ? unnamed.map((c) => c.id) : []);
  const deletedIds = {
    upstream: gone(upstreamMatch.unnamed),
    api: gone(apiMatch.unnamed),
    plan: gone(planMatch.unnamed),
    consumer: gone(consumerMatch.unnamed),
  };
  checkNamesFree("upstreams", file.upstreams, upstreamMatch, savedUpstreams, deletedIds.upstream, errors);
  checkNamesFree("apis", file.apis, apiMatch, savedApis, deletedIds.api, errors, slugify);
  checkNamesFree("plans", file.plans, planMatch, savedPlans, deletedIds.plan, errors);
  checkNamesFree("consumers", file.consumers, consumerMatch, savedConsumers, deletedIds.consumer, errors);

  const upstreams: UpstreamObject[] = file.upstreams.map((entry, index) => {
    const saved = upstreamMatch.matches[index]?.object;
    const id = saved?.upstream.id ?? entry.id ?? newId("upstream");
    const { targets, id: _id, tls: sentTls, ...settings } = entry;
    // A dump leaves the client key out; applied back, the saved key stays.
    const tls = withSavedKey(sentTls, saved?.upstream.tls);
    errors.push(...poolTlsProblems(tls, `upstreams.${index}.`));
    const savedTargets = new Map((saved?.targets ?? []).map((t) => [targetUrlKey(t.url), t]));
    const seen = new Map<string, number>();
    return {
      upstream: {
        ...settings,
        tls,
        id,
        createdAt: saved?.upstream.createdAt ?? now,
        updatedAt: saved?.upstream.updatedAt ?? now,
      },
      targets: targets.map((target, t) => {
        const key = targetUrlKey(target.url);
        const twin = seen.get(key);
        if (twin !== undefined)
          errors.push({ path: `upstreams.${index}.targets.${t}.url`, message: `Same URL as targets.${twin}` });
        seen.set(key, t);
        const old = savedTargets.get(key);
        return { ...target, id: old?.id ?? newId("target"), upstreamId: id, createdAt: old?.createdAt ?? now };
      }),
    };
  });
  const plans: PlanObject[] = file.plans.map((entry, index) => {
    const saved = planMatch.matches[index]?.object;
    const { id: _id, ...fields } = entry;
    const id = saved?.plan.id ?? entry.id ?? newId("plan");
    return {
      plan: { ...fields, id, createdAt: saved?.plan.createdAt ?? now, updatedAt: saved?.plan.updatedAt ?? now },
    };
  });

  // References by name (or id) resolve to the file's objects first, then to saved ones that stay.
  const staying = <C>(saved: Candidate<C>[], gone: Set<string>, moved: Array<Candidate<C> | null>) => {
    const taken = new Set(moved.flatMap((c) => (c ? [c.id] : [])));
    return saved.filter((c) => !gone.has(c.id) && !taken.has(c.id));
  };
  const finalUpstreams = [
    ...upstreams.map(({ upstream }) => ({ id: upstream.id, name: upstream.name })),
    ...staying(savedUpstreams, deletedIds.upstream, upstreamMatch.matches),
  ];
  const finalPlans = [
    ...plans.map(({ plan }) => ({ id: plan.id, name: plan.name })),
    ...staying(savedPlans, deletedIds.plan, planMatch.matches),
  ];
  const resolver = (list: Array<{ id: string; name: string }>) => (nameOrId: string) =>
    (list.find((o) => o.name === nameOrId) ?? list.find((o) => o.id === nameOrId))?.id;
  const upstreamId = resolver(finalUpstreams);
  const planId = resolver(finalPlans);
  const savedIds = new Set([
    ...current.apis.flatMap(({ routes, policies }) => [...routes, ...policies].map((row) => row.id)),
    ...current.consumers.flatMap(({ policies }) => policies.map((row) => row.id)),
    ...current.policies.map(({ policy }) => policy.id),
  ]);
  const env: ResolveEnv = { upstreamId, savedIds, errors, now };

  const apis: ApiObject[] = file.apis.map((entry, index) => {
    const saved = apiMatch.matches[index]?.object;
    const id = saved?.api.id ?? entry.id ?? newId("api");
    const pool = upstreamId(entry.upstream);
    if (pool === undefined)
      errors.push({
        path: `apis.${index}.upstream`,
        message: `No upstream named ${entry.upstream} in the file or the config`,
      });
    const routes = desiredRoutes(entry.routes, saved, id, index, env);
    const savedPolicies = saved?.policies ?? [];
    const policies = [
      ...desiredPolicies(
        `apis.${index}.policies`,
        entry.policies,
        savedPolicies.filter((p) => p.apiId === id),
        { scope: "api", apiId: id, routeId: null, consumerId: null },
        env,
      ),
      ...entry.routes.flatMap((route, r) =>
        desiredPolicies(
          `apis.${index}.routes.${r}.policies`,
          route.policies,
          savedPolicies.filter((p) => p.routeId === routes[r]?.id),
          { scope: "route", apiId: null, routeId: routes[r]?.id ?? null, consumerId: null },
          env,
        ),
      ),
    ];
    return {
      api: {
        id,
        name: entry.name,
        slug: slugify(entry.name),
        description: entry.description,
        enabled: entry.enabled,
        tags: entry.tags,
        upstreamId: pool ?? "",
        createdAt: saved?.api.createdAt ?? now,
        updatedAt: saved?.api.updatedAt ?? now,
      },
      routes,
      policies,
    };
  });
  const consumers: ConsumerObject[] = file.consumers.map((entry, index) => {
    const saved = consumerMatch.matches[index]?.object;
    const id = saved?.consumer.id ?? entry.id ?? newId("consumer");
    const plan = entry.plan === null ? null : planId(entry.plan);
    if (plan === undefined)
      errors.push({
        path: `consumers.${index}.plan`,
        message: `No plan named ${entry.plan} in the file or the config`,
      });
    return {
      consumer: {
        id,
        name: entry.name,
        metadata: entry.metadata,
        groups: entry.groups,
        planId: plan ?? null,
        createdAt: saved?.consumer.createdAt ?? now,
        updatedAt: saved?.consumer.updatedAt ?? now,
      },
      policies: desiredPolicies(
        `consumers.${index}.policies`,
        entry.policies,
        saved?.policies ?? [],
        { scope: "consumer", apiId: null, routeId: null, consumerId: id },
        env,
      ),
    };
  });
  const savedGlobal = current.policies.map(({ policy }) => policy);
  const globalPolicies: PolicyObject[] =
    tag !== undefined
      ? []
      : desiredPolicies(
          "policies",
          file.policies,
          savedGlobal,
          { scope: "global", apiId: null, routeId: null, consumerId: null },
          env,
        ).map((policy) => ({ policy }));
  const keptGlobal = new Set(globalPolicies.map(({ policy }) => policy.id));

  const deleted: DesiredConfig["deleted"] = [
    ...apiMatch.unnamed
      .filter((c) => deletedIds.api.has(c.id))
      .map((c) => ({ kind: "api" as const, id: c.id, object: c.object })),
    ...consumerMatch.unnamed
      .filter((c) => deletedIds.consumer.has(c.id))
      .map((c) => ({ kind: "consumer" as const, id: c.id, object: c.object })),
    ...(scope.prune && tag === undefined
      ? current.policies
          .filter(({ policy }) => !keptGlobal.has(policy.id))
          .map((object) => ({ kind: "policy" as const, id: object.policy.id, object }))
      : []),
    ...planMatch.unnamed
      .filter((c) => deletedIds.plan.has(c.id))
      .map((c) => ({ kind: "plan" as const, id: c.id, object: c.object })),
    ...upstreamMatch.unnamed
      .filter((c) => deletedIds.upstream.has(c.id))
      .map((c) => ({ kind: "upstream" as const, id: c.id, object: c.object })),
  ];
  const desired: ConfigObjects = { upstreams, apis, plans, consumers, policies: globalPolicies };
  checkRouteCollisions(current, desired, deletedIds.api, errors);
  checkStillUsed(current, desired, deleted, errors);
  if (errors.length > 0) throw invalidFile(errors);
  return { current, desired, deleted };
}
