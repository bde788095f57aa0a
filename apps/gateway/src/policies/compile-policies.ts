import type { ConfigSnapshot } from "@gatehouse/db";
import {
  type AttachedPolicy,
  type ConsumerIdentity,
  type Credentials,
  type DurableCounters,
  findPolicy,
  type PlanIdentity,
  PolicyChains,
  type PolicyMetrics,
  type PolicyServices,
  type UpstreamPools,
  type WindowTable,
} from "@gatehouse/policies";
import type { KeyIndex } from "./key-index.ts";

/** What a request needs of the key index: the host's index, or a proxy worker's reader of it. */
export type KeyLookup = Pick<KeyIndex, "get">;

import type { PolicyState } from "./policy-state.ts";

export interface CompiledPolicies {
  chains: PolicyChains;
  credentials: Credentials;
  /** The ids of every enabled policy, whose state the next revision keeps. */
  ids: ReadonlySet<string>;
}

/** Key and consumer lookups: one Map get per request, whatever the key count. */
export function buildCredentials(snapshot: Pick<ConfigSnapshot, "consumers" | "plans">, keys: KeyLookup): Credentials {
  const plans = new Map<string, PlanIdentity>(
    snapshot.plans.map((row) => [row.id, { id: row.id, name: row.name, limits: row.limits, quota: row.quota }]),
  );
  const byId = new Map<string, ConsumerIdentity>();
  const byName = new Map<string, ConsumerIdentity>();
  for (const row of snapshot.consumers) {
    const plan = row.planId === null ? null : (plans.get(row.planId) ?? null);
    const consumer: ConsumerIdentity = { id: row.id, name: row.name, groups: row.groups, plan };
    byId.set(row.id, consumer);
    byName.set(row.name, consumer);
  }
  return {
    keyByDigest: (digest) => keys.get(digest),
    consumer: (id) => byId.get(id),
    consumerByName: (name) => byName.get(name),
  };
}

/** Turns every enabled policy row into a handler, or throws naming the row that cannot be. */
export interface PolicyRuntime {
  keys: KeyLookup;
  counters: DurableCounters;
  /** The host's shared rate-limit table; absent, each thread counts alone. */
  windows?: WindowTable;
  state: PolicyState;
  log: (line: string) => void;
  upstreams?: UpstreamPools;
  /** Where policies count what they did, for /metrics. */
  metrics?: PolicyMetrics;
}

export function compilePolicies(
  snapshot: ConfigSnapshot,
  { keys, counters, windows, state, log, upstreams, metrics }: PolicyRuntime,
) {
  const credentials = buildCredentials(snapshot, keys);
  const services: PolicyServices = {
    credentials,
    counters,
    windows,
    upstreams,
    metrics,
    // A node's config saved on disk by an older version has no purges.
    cache: { revision: snapshot.revision, purges: snapshot.cachePurges ?? [] },
    state: (id, create) => state.get(id, create),
    log,
  };
  const attached: AttachedPolicy[] = [];
  const ids = new Set<string>();
  try {
    for (const row of snapshot.policies) {
      if (!row.enabled) continue;
      const definition = findPolicy(row.type);
      if (!definition) throw new Error(`policy ${row.id}: unknown type ${JSON.stringify(row.type)}`);
      const parsed = definition.config.safeParse(row.config);
      if (!parsed.success) {
        const why = parsed.error.issues.map((issue) => `${issue.path.join(".")} ${issue.message}`).join("; ");
        throw new Error(`policy ${row.id}: config: ${why}`);
      }
      ids.add(row.id);
      attached.push({
        id: row.id,
        type: row.type,
        phase: definition.phase,
        apiId: row.apiId,
        routeId: row.routeId,
        consumerId: row.consumerId,
        handler: definition.create(parsed.data, services, row.id),
      });
    }
    return { chains: new PolicyChains(attached), credentials, ids } satisfies CompiledPolicies;
  } catch (error) {
    // Handlers hold connections (a Redis client): a revision that is not applied must release them.
    for (const policy of attached) policy.handler.close?.();
    throw error;
  }
}
