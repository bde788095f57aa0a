import { epochNow, PHASES, type Phase, type PolicyContext, type PolicyHandler, type Verdict } from "./types.ts";

/** A policy row as the chain needs it, its config already turned into a handler. */
export interface AttachedPolicy {
  id: string;
  type: string;
  phase: Phase;
  apiId: string | null;
  routeId: string | null;
  consumerId: string | null;
  handler: PolicyHandler;
}

interface Step {
  type: string;
  rank: number;
  handler: PolicyHandler;
}

/** Auth runs before the consumer is known; everything after it may be overridden per consumer. */
const AUTH_RANK = PHASES.indexOf("auth");

/** The policies of one route in phase order, resolved once per revision. */
export interface RouteChain {
  /** cors and auth: they run before the consumer is known. */
  readonly beforeConsumer: readonly Step[];
  /** acl onwards, for a request with no consumer-level policy. */
  readonly afterConsumer: readonly Step[];
  readonly consumerPolicies: ReadonlyMap<string, ReadonlyMap<string, Step>>;
}

const EMPTY_CHAIN: RouteChain = { beforeConsumer: [], afterConsumer: [], consumerPolicies: new Map() };

/**
 * Resolves attachments to per-route chains: of two policies of the same type, the more
 * specific wins (consumer over route over api over global).
 */
export class PolicyChains {
  readonly #global = new Map<string, Step>();
  readonly #byApi = new Map<string, Map<string, Step>>();
  readonly #byRoute = new Map<string, Map<string, Step>>();
  readonly #byConsumer = new Map<string, Map<string, Step>>();
  readonly #handlers: PolicyHandler[] = [];
  readonly #byApiResolved = new Map<string, RouteChain>();

  constructor(attached: readonly AttachedPolicy[]) {
    for (const policy of attached) {
      const step: Step = { type: policy.type, rank: PHASES.indexOf(policy.phase), handler: policy.handler };
      this.#handlers.push(policy.handler);
      let scope: Map<string, Step>;
      if (policy.consumerId !== null) scope = getOrCreate(this.#byConsumer, policy.consumerId);
      else if (policy.routeId !== null) scope = getOrCreate(this.#byRoute, policy.routeId);
      else if (policy.apiId !== null) scope = getOrCreate(this.#byApi, policy.apiId);
      else scope = this.#global;
      if (scope.has(policy.type)) {
        throw new Error(`policy ${policy.id}: a ${policy.type} policy is already attached at the same place`);
      }
      scope.set(policy.type, step);
    }
  }

  get size(): number {
    return this.#handlers.length;
  }

  forRoute(apiId: string, routeId: string): RouteChain {
    if (this.#handlers.length === 0) return EMPTY_CHAIN;
    const own = this.#byRoute.get(routeId);
    if (own !== undefined) return this.#resolve(apiId, own);
    // Most routes have no policy of their own: they share their API's chain, resolved once.
    let shared = this.#byApiResolved.get(apiId);
    if (shared === undefined) {
      shared = this.#resolve(apiId, undefined);
      this.#byApiResolved.set(apiId, shared);
    }
    return shared;
  }

  #resolve(apiId: string, own: Map<string, Step> | undefined): RouteChain {
    const resolved = new Map(this.#global);
    for (const [type, step] of this.#byApi.get(apiId) ?? []) resolved.set(type, step);
    for (const [type, step] of own ?? []) resolved.set(type, step);
    const ordered = inPhaseOrder(resolved.values());
    return {
      beforeConsumer: ordered.filter((step) => step.rank <= AUTH_RANK),
      afterConsumer: ordered.filter((step) => step.rank > AUTH_RANK),
      consumerPolicies: this.#byConsumer,
    };
  }

  close(): void {
    for (const handler of this.#handlers) handler.close?.();
  }
}

/**
 * Runs a chain until a policy refuses or answers. Stays synchronous while every handler
 * does, so a request with only in-memory policies never waits on a microtask.
 */
export function runChain(chain: RouteChain, ctx: PolicyContext): Verdict | Promise<Verdict> {
  const before = runSteps(chain.beforeConsumer, 0, ctx);
  if (before instanceof Promise) {
    return before.then((verdict) => verdict ?? runSteps(afterSteps(chain, ctx), 0, ctx));
  }
  return before ?? runSteps(afterSteps(chain, ctx), 0, ctx);
}

function afterSteps(chain: RouteChain, ctx: PolicyContext): readonly Step[] {
  const own = ctx.consumer === null ? undefined : chain.consumerPolicies.get(ctx.consumer.id);
  if (own === undefined) return chain.afterConsumer;
  const merged = new Map<string, Step>();
  for (const step of chain.afterConsumer) merged.set(step.type, step);
  for (const [type, step] of own) if (step.rank > AUTH_RANK) merged.set(type, step);
  return inPhaseOrder(merged.values());
}

function runSteps(steps: readonly Step[], from: number, ctx: PolicyContext): Verdict | Promise<Verdict> {
  for (let i = from; i < steps.length; i++) {
    const step = steps[i] as Step;
    // Read before the step: the tracing policy's own step is not one of its spans.
    const trace = ctx.trace;
    const start = trace === null ? 0 : epochNow();
    const verdict = step.handler.handle(ctx);
    if (verdict instanceof Promise) {
      return verdict.then((settled) => {
        trace?.stepEnded(PHASES[step.rank] as Phase, step.type, start, epochNow());
        return settled ?? runSteps(steps, i + 1, ctx);
      });
    }
    trace?.stepEnded(PHASES[step.rank] as Phase, step.type, start, epochNow());
    if (verdict !== undefined) return verdict;
  }
  return undefined;
}

function inPhaseOrder(steps: Iterable<Step>): Step[] {
  return [...steps].sort((a, b) => a.rank - b.rank || a.type.localeCompare(b.type));
}

function getOrCreate<K, V>(map: Map<K, Map<string, V>>, key: K): Map<string, V> {
  let inner = map.get(key);
  if (inner === undefined) {
    inner = new Map();
    map.set(key, inner);
  }
  return inner;
}
