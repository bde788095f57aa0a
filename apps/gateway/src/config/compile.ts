import type { ConfigSnapshot, RouteRow } from "@gatehouse/db";
import type { DurableCounters, PolicyMetrics, RouteChain, WindowTable } from "@gatehouse/policies";
import {
  BALANCING_ALGORITHMS,
  type HealthChecks,
  hashOnSchema,
  healthChecksSchema,
  upstreamTlsSchema,
} from "@gatehouse/shared";
import type { Pool } from "undici";
import type { z } from "zod";
import type { HealthRegistry, PoolHealthPlan, PoolState } from "../health/registry.ts";
import type { TargetHealth } from "../health/target-health.ts";
import { type CompiledPolicies, compilePolicies, type KeyLookup } from "../policies/compile-policies.ts";
import { KeyIndex } from "../policies/key-index.ts";
import { PolicyState } from "../policies/policy-state.ts";
import { QuotaCounters } from "../policies/quota-counters.ts";
import { type Balancer, createBalancer } from "../proxy/balancers/index.ts";
import { type PoolRegistry, poolKey } from "../proxy/pools.ts";
import { upstreamPools } from "../proxy/side-requests.ts";
import { type PathTemplate, parseRoutePath, parseTemplate, templateParams } from "../router/path.ts";
import { type RouteDefinition, Router } from "../router/router.ts";
import { compilePoolTls } from "../upstream-tls/compile-pool-tls.ts";

export interface CompiledTarget {
  id: string;
  url: string;
  pool: Pool;
  /** The target URL's own path without a trailing slash, prefixed to every forwarded path. */
  basePath: string;
  weight: number;
  health: TargetHealth;
}

export interface CompiledUpstream extends PoolHealthPlan {
  balancer: Balancer<CompiledTarget>;
  /** The enabled targets the balancer picks from, for requests outside a client's exchange (mirrors). */
  targets: readonly CompiledTarget[];
  /** Extra attempts on other targets, when safe. */
  retries: number;
  /** Longest stall of a request body upload (no bytes moving) before the request is aborted. */
  sendTimeoutMs: number;
  /** The retry budget and counters; the same object across reloads. */
  state: PoolState;
}

export interface CompiledRoute {
  id: string;
  apiId: string;
  apiName: string;
  apiEnabled: boolean;
  stripPath: boolean;
  httpsOnly: boolean;
  rewrite: PathTemplate | null;
  upstream: CompiledUpstream;
  /** Null when no policy applies to the route: the request path skips the policy step. */
  chain: RouteChain | null;
}

/** One immutable revision of the config, ready for the request path. */
export interface RuntimeConfig {
  revision: number;
  loadedAt: string;
  router: Router<CompiledRoute>;
  apiCount: number;
  /** API names by id, for metric labels. */
  apiNames: ReadonlyMap<string, string>;
  routeCount: number;
  /**
   * The snapshot's route rows (the very array) and the same rows in router order: a next
   * revision whose snapshot kept the array, because no route changed, reuses the router's trie.
   */
  routeRows: { source: readonly RouteRow[]; ordered: readonly RouteRow[] };
  /** The pool keys this config uses; every other pool may be closed once it is live. */
  poolKeys: ReadonlySet<string>;
  /** Every upstream, for the health registry to apply once this config is live. */
  upstreams: readonly CompiledUpstream[];
  /** The same upstreams by id, for a policy that sends a request to another pool (a canary). */
  upstreamsById: ReadonlyMap<string, CompiledUpstream>;
  policies: CompiledPolicies;
}

export interface CompileOptions {
  now?: Date;
  /** Outlives revisions, so rate-limit counters survive a reload. */
  policyState?: PolicyState;
  /** The API keys, kept up to date by the watcher apart from the rest of the config. */
  keys?: KeyLookup;
  counters?: DurableCounters;
  /** The host's shared rate-limit table, when the gateway runs worker threads. */
  windows?: WindowTable;
  log?: (line: string) => void;
  /** Where policies count what they did, for /metrics. */
  metrics?: PolicyMetrics;
  /** The config being replaced, whose router this one reuses when the route rows are the same. */
  previous?: RuntimeConfig | null;
}

const compareAscii = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Builds a RuntimeConfig, or throws with a message naming the offending row. */
export function compileConfig(
  snapshot: ConfigSnapshot,
  pools: PoolRegistry,
  health: HealthRegistry,
  {
    now = new Date(),
    policyState = new PolicyState(),
    keys = new KeyIndex(),
    counters = new QuotaCounters(),
    windows,
    log = () => {},
    metrics,
    previous = null,
  }: CompileOptions = {},
): RuntimeConfig {
  // Filled below: policies only look pools up when a request comes, after the compile.
  const upstreams = new Map<string, CompiledUpstream>();
  const policies = compilePolicies(snapshot, {
    keys,
    counters,
    windows,
    state: policyState,
    log,
    metrics,
    upstreams: upstreamPools(upstreams),
  });
  try {
    const poolKeys = new Set<string>();
    const targetsByUpstream = new Map<string, ConfigSnapshot["targets"]>();
    for (const target of snapshot.targets) {
      const list = targetsByUpstream.get(target.upstreamId);
      if (list) list.push(target);
      else targetsByUpstream.set(target.upstreamId, [target]);
    }
    for (const upstream of snapshot.upstreams) {
      const where = `upstream ${upstream.id}`;
      if (!BALANCING_ALGORITHMS.includes(upstream.algorithm)) {
        throw new Error(`${where}: unknown algorithm ${JSON.stringify(upstream.algorithm)}`);
      }
      // JSON columns are parsed with the shared schemas, which also fill defaults a row may lack.
      const checks: HealthChecks = parseColumn(healthChecksSchema, upstream.healthChecks, `${where}: health_checks`);
      const hashOn = parseColumn(hashOnSchema, upstream.hashOn, `${where}: hash_on`);
      // A snapshot cached or sent by a release before pools had TLS settings has no `tls`: verified, as the migration says.
      const tls = compilePoolTls(parseColumn(upstreamTlsSchema, upstream.tls ?? {}, `${where}: tls`));
      const members: CompiledUpstream["members"][number][] = [];
      const balanced: CompiledTarget[] = [];
      for (const target of targetsByUpstream.get(upstream.id) ?? []) {
        const targetHealth = health.target(upstream.id, target.id, target.url);
        const enabled = target.enabled && target.weight > 0;
        members.push({ health: targetHealth, enabled });
        if (!enabled) continue;
        let url: URL;
        try {
          url = new URL(target.url);
        } catch {
          throw new Error(`target ${target.id}: ${JSON.stringify(target.url)} is not a URL`);
        }
        if (url.protocol !== "http:" && url.protocol !== "https:") {
          throw new Error(`target ${target.id}: ${target.url} is not http(s)`);
        }
        const settings = {
          origin: url.origin,
          connectTimeoutMs: upstream.connectTimeoutMs,
          readTimeoutMs: upstream.readTimeoutMs,
          tls,
        };
        poolKeys.add(poolKey(settings));
        balanced.push({
          id: target.id,
          url: target.url,
          pool: pools.acquire(settings),
          basePath: url.pathname.replace(/\/+$/, ""),
          weight: target.weight,
          health: targetHealth,
        });
      }
      upstreams.set(upstream.id, {
        id: upstream.id,
        name: upstream.name,
        checks,
        tls,
        members,
        balancer: createBalancer(upstream.algorithm, balanced, hashOn),
        targets: balanced,
        retries: upstream.retries,
        sendTimeoutMs: upstream.sendTimeoutMs,
        state: health.pool(upstream.id, upstream.name),
      });
    }

    const apisById = new Map(snapshot.apis.map((api) => [api.id, api]));
    const reuse = previous?.routeRows.source === snapshot.routes ? previous : null;
    // Oldest first: the router breaks the last tie by definition order.
    // Plain comparisons: ISO times and ids are ASCII, and localeCompare costs ms over 10,000 routes.
    const ordered =
      reuse?.routeRows.ordered ??
      snapshot.routes.toSorted((a, b) => compareAscii(a.createdAt, b.createdAt) || compareAscii(a.id, b.id));
    const compiled: CompiledRoute[] = [];
    for (const route of ordered) {
      const api = apisById.get(route.apiId);
      if (!api) throw new Error(`route ${route.id}: api ${route.apiId} does not exist`);
      const upstream = upstreams.get(api.upstreamId);
      if (!upstream) throw new Error(`api ${api.id}: upstream ${api.upstreamId} does not exist`);
      const chain = policies.chains.forRoute(api.id, route.id);
      const hasPolicies =
        chain.beforeConsumer.length + chain.afterConsumer.length > 0 || chain.consumerPolicies.size > 0;
      compiled.push({
        id: route.id,
        apiId: api.id,
        apiName: api.name,
        apiEnabled: api.enabled,
        stripPath: route.stripPath,
        httpsOnly: route.httpsOnly,
        rewrite: checkedRewrite(route),
        upstream,
        chain: hasPolicies ? chain : null,
      });
    }
    const router = reuse
      ? reuse.router.withData(compiled)
      : new Router(
          ordered.map(
            (route, i): RouteDefinition<CompiledRoute> => ({
              paths: route.paths,
              pathType: route.pathType,
              methods: route.methods,
              hosts: route.hosts,
              headers: route.headers,
              priority: route.priority,
              data: compiled[i] as CompiledRoute,
            }),
          ),
        );

    return {
      revision: snapshot.revision,
      loadedAt: now.toISOString(),
      router,
      apiCount: snapshot.apis.length,
      apiNames: new Map(snapshot.apis.map((api) => [api.id, api.name])),
      routeCount: snapshot.routes.length,
      routeRows: { source: snapshot.routes, ordered },
      poolKeys,
      upstreams: [...upstreams.values()],
      upstreamsById: upstreams,
      policies,
    };
  } catch (error) {
    // The policies' handlers hold connections: a revision that does not compile releases them.
    policies.chains.close();
    throw error;
  }
}

/**
 * Route rows whose paths and rewrite were checked, with the parsed rewrite. Rows are never
 * mutated, and a row the config did not change is the same object in the next snapshot, so
 * each route is checked once, not once per revision.
 */
const checkedRoutes = new WeakMap<RouteRow, PathTemplate | null>();

function checkedRewrite(route: RouteRow): PathTemplate | null {
  const known = checkedRoutes.get(route);
  if (known !== undefined) return known;
  const rewrite = route.rewritePath === null ? null : parseTemplate(route.rewritePath);
  for (const path of route.paths) {
    let captured: string[];
    try {
      captured = parseRoutePath(path).flatMap((segment) => (segment.param ? [segment.value] : []));
    } catch (error) {
      throw new Error(`route ${route.id}: ${(error as Error).message}`);
    }
    for (const name of rewrite ? templateParams(rewrite) : []) {
      if (!captured.includes(name)) {
        throw new Error(`route ${route.id}: rewritePath uses :${name}, which path ${path} does not capture`);
      }
    }
  }
  checkedRoutes.set(route, rewrite);
  return rewrite;
}

function parseColumn<T extends z.ZodType>(schema: T, value: unknown, where: string): z.output<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new Error(
    `${where}: ${result.error.issues.map((issue) => `${issue.path.join(".")} ${issue.message}`).join("; ")}`,
  );
}
