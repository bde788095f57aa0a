import type { Pool } from "undici";
import { WeightedRoundRobin } from "../proxy/balancer.ts";
import { type PoolRegistry, poolKey } from "../proxy/pools.ts";
import { type PathTemplate, parseRoutePath, parseTemplate, templateParams } from "../router/path.ts";
import { type RouteDefinition, Router } from "../router/router.ts";
import type { ConfigSnapshot } from "./load.ts";

export interface CompiledTarget {
  id: string;
  url: string;
  pool: Pool;
  /** The target URL's own path without a trailing slash, prefixed to every forwarded path. */
  basePath: string;
}

export interface CompiledUpstream {
  id: string;
  name: string;
  balancer: WeightedRoundRobin<CompiledTarget>;
}

export interface CompiledRoute {
  id: string;
  apiId: string;
  apiName: string;
  apiEnabled: boolean;
  stripPath: boolean;
  rewrite: PathTemplate | null;
  upstream: CompiledUpstream;
}

/** One immutable revision of the config, ready for the request path. */
export interface RuntimeConfig {
  revision: number;
  loadedAt: string;
  router: Router<CompiledRoute>;
  apiCount: number;
  routeCount: number;
  /** The pool keys this config uses; every other pool may be closed once it is live. */
  poolKeys: ReadonlySet<string>;
}

/** Builds a RuntimeConfig, or throws with a message naming the offending row. */
export function compileConfig(snapshot: ConfigSnapshot, pools: PoolRegistry, now = new Date()): RuntimeConfig {
  const poolKeys = new Set<string>();
  const targetsByUpstream = new Map<string, ConfigSnapshot["targets"]>();
  for (const target of snapshot.targets) {
    const list = targetsByUpstream.get(target.upstreamId);
    if (list) list.push(target);
    else targetsByUpstream.set(target.upstreamId, [target]);
  }
  const upstreams = new Map<string, CompiledUpstream>();
  for (const upstream of snapshot.upstreams) {
    const weighted = [];
    for (const target of targetsByUpstream.get(upstream.id) ?? []) {
      if (!target.enabled || target.weight <= 0) continue;
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
      };
      poolKeys.add(poolKey(settings));
      const basePath = url.pathname.replace(/\/+$/, "");
      weighted.push({
        item: { id: target.id, url: target.url, pool: pools.acquire(settings), basePath },
        weight: target.weight,
      });
    }
    upstreams.set(upstream.id, { id: upstream.id, name: upstream.name, balancer: new WeightedRoundRobin(weighted) });
  }

  const apisById = new Map(snapshot.apis.map((api) => [api.id, api]));
  // Oldest first: the router breaks the last tie by definition order.
  const ordered = snapshot.routes.toSorted(
    (a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id),
  );
  const definitions: RouteDefinition<CompiledRoute>[] = [];
  for (const route of ordered) {
    const api = apisById.get(route.apiId);
    if (!api) throw new Error(`route ${route.id}: api ${route.apiId} does not exist`);
    const upstream = upstreams.get(api.upstreamId);
    if (!upstream) throw new Error(`api ${api.id}: upstream ${api.upstreamId} does not exist`);
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
    definitions.push({
      paths: route.paths,
      pathType: route.pathType,
      methods: route.methods,
      hosts: route.hosts,
      headers: route.headers,
      priority: route.priority,
      data: {
        id: route.id,
        apiId: api.id,
        apiName: api.name,
        apiEnabled: api.enabled,
        stripPath: route.stripPath,
        rewrite,
        upstream,
      },
    });
  }

  return {
    revision: snapshot.revision,
    loadedAt: now.toISOString(),
    router: new Router(definitions),
    apiCount: snapshot.apis.length,
    routeCount: snapshot.routes.length,
    poolKeys,
  };
}
