import type { z } from "zod";
import { RedisOutage } from "../redis/outage.ts";
import type { CachePurge, DirectResponse, PolicyContext, PolicyDefinition, Verdict } from "../types.ts";
import { requestDirective } from "./cache-control.ts";
import { cacheKey, varyMatches } from "./cache-key.ts";
import { CacheState } from "./cache-state.ts";
import type { CachedAnswer, CacheStore } from "./cached-answer.ts";
import { type FillOptions, fillHook } from "./fill-hook.ts";
import type { MemoryStore } from "./memory-store.ts";
import { RedisStore } from "./redis-store.ts";
import { proxyCacheSchema } from "./schema.ts";

type ProxyCacheConfig = z.output<typeof proxyCacheSchema.config>;
type CacheStatus = "HIT" | "MISS" | "BYPASS" | "EXPIRED";

/** A stale copy is kept a while (as long again as it was fresh, a minute to a day), so the next request can say EXPIRED. */
const keepMs = (answer: CachedAnswer) => {
  const lifetime = answer.expiresAt - answer.storedAt;
  return lifetime + Math.min(Math.max(lifetime, 60_000), 86_400_000);
};

const setStatus = (ctx: PolicyContext, status: CacheStatus) => {
  ctx.responseHeaders["x-cache-status"] = status;
};

export const proxyCache: PolicyDefinition<typeof proxyCacheSchema.config> = {
  ...proxyCacheSchema,
  create(config: ProxyCacheConfig, services, policyId) {
    const state = services.state(policyId, () => new CacheState());
    let store: CacheStore;
    let memory: MemoryStore | null = null;
    let redis: RedisStore | null = null;
    if (config.store === "memory") {
      memory = state.memory(config.memoryBytes);
      store = memory;
    } else {
      state.dropMemory();
      redis = new RedisStore(config.redisUrl, policyId, config.timeoutMs);
      store = redis;
    }
    const outage = new RedisOutage({
      label: `proxy-cache ${policyId}`,
      failOpen: config.failOpen,
      service: "Caching",
      log: services.log,
    });
    const methods = new Set<string>(config.methods);
    const fill: FillOptions = {
      statuses: new Set(config.statuses),
      defaultTtlMs: config.ttlSeconds * 1000,
      maxBodyBytes: config.maxBodyBytes,
      revision: services.cache?.revision ?? 0,
    };
    const purges = new Map<string, CachePurge[]>();
    for (const purge of services.cache?.purges ?? []) {
      const list = purges.get(purge.apiId) ?? [];
      list.push(purge);
      purges.set(purge.apiId, list);
    }
    const purged = (answer: CachedAnswer) =>
      purges.get(answer.apiId)?.some((p) => p.revision > answer.revision && answer.path.startsWith(p.prefix)) ?? false;

    const keep = (key: string, answer: CachedAnswer): void | Promise<void> => {
      const failed = (error: Error) => {
        outage.failed(Date.now(), error);
      };
      try {
        const saving = store.set(key, answer, keepMs(answer));
        if (saving instanceof Promise) return saving.catch(failed);
      } catch (error) {
        failed(error as Error);
      }
    };

    /** Copies this GET's answer; with `lead`, others asking for the key wait for it. */
    function fillFrom(ctx: PolicyContext, key: string, lead: boolean): void {
      const settled = lead ? state.lead(key) : () => {};
      ctx.responseHooks.push(fillHook(ctx, fill, (answer) => keep(key, answer), settled));
    }

    /**
     * The copy, if there is one this request may be given, or undefined. A purged copy is
     * dropped from memory; in Redis it is left for the next fill to overwrite, because a delete
     * sent now could land after another gateway's fresh copy and remove that instead.
     */
    function usable(ctx: PolicyContext, key: string, answer: CachedAnswer | undefined): CachedAnswer | undefined {
      if (answer === undefined || !varyMatches(ctx, answer)) return undefined;
      if (!purged(answer)) return answer;
      memory?.delete(key);
      return undefined;
    }

    function lookup(
      ctx: PolicyContext,
      key: string,
      then: (answer: CachedAnswer | undefined) => Verdict | Promise<Verdict>,
    ): Verdict | Promise<Verdict> {
      let found: CachedAnswer | undefined | Promise<CachedAnswer | undefined>;
      try {
        found = store.get(key);
      } catch (error) {
        return bypassed(ctx, error as Error);
      }
      if (!(found instanceof Promise)) return then(usable(ctx, key, found));
      return found.then(
        (answer) => {
          outage.answered();
          return then(usable(ctx, key, answer));
        },
        (error: Error) => bypassed(ctx, error),
      );
    }

    function bypassed(ctx: PolicyContext, error: Error): Verdict {
      setStatus(ctx, "BYPASS");
      return outage.failed(ctx.now, error);
    }

    function decide(ctx: PolicyContext, key: string, answer: CachedAnswer | undefined): Verdict | Promise<Verdict> {
      if (answer !== undefined && answer.expiresAt > ctx.now) return hit(ctx, answer);
      setStatus(ctx, answer === undefined ? "MISS" : "EXPIRED");
      const flight = state.flights.get(key);
      if (flight !== undefined) {
        // Answered from the leader's copy once it is kept; upstream as usual if it was not.
        return flight.settled.then(() =>
          lookup(ctx, key, (kept) => (kept !== undefined && kept.expiresAt > Date.now() ? hit(ctx, kept) : undefined)),
        );
      }
      // A HEAD answer has no body to keep for GET.
      if (ctx.method === "GET") fillFrom(ctx, key, true);
      return undefined;
    }

    return {
      handle(ctx) {
        const credentialed = ctx.headers.authorization !== undefined || ctx.headers.cookie !== undefined;
        if (!methods.has(ctx.method) || (credentialed && !(config.perConsumer && ctx.consumer !== null))) {
          setStatus(ctx, "BYPASS");
          return undefined;
        }
        const key = cacheKey(ctx, config);
        const directive = requestDirective(ctx.headers["cache-control"]);
        if (directive !== null) {
          setStatus(ctx, "BYPASS");
          // no-cache asks for a fresh answer, which may then replace the copy; no-store keeps nothing.
          if (directive === "no-cache" && ctx.method === "GET") fillFrom(ctx, key, false);
          return undefined;
        }
        return lookup(ctx, key, (answer) => decide(ctx, key, answer));
      },
      close() {
        redis?.close();
      },
    };
  },
};

function hit(ctx: PolicyContext, answer: CachedAnswer): DirectResponse {
  setStatus(ctx, "HIT");
  const age = answer.initialAge + Math.max(0, Math.floor((ctx.now - answer.storedAt) / 1000));
  const headers = { ...answer.headers, age: String(age) };
  if (ctx.method === "HEAD")
    return {
      kind: "respond",
      status: answer.status,
      headers: { ...headers, "content-length": String(answer.body.length) },
    };
  return { kind: "respond", status: answer.status, headers, body: answer.body };
}
