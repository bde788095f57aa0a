import type { ErrorCode, FieldError, KeyLimits, PlanQuota } from "@gatehouse/shared";
import type { z } from "zod";
import type { WindowTable } from "./rate-limit/window-table.ts";

/**
 * The fixed order policies run in; a policy declares the one phase it belongs to. Requests are
 * checked as the client sent them (validate) before they are rewritten (transform); the cache
 * keys on the rewritten request; the pool is chosen last (route: canary, mirror).
 */
export const PHASES = [
  "cors",
  "auth",
  "acl",
  "ip",
  "rate-limit",
  "quota",
  "validate",
  "transform",
  "cache",
  "route",
] as const;
export type Phase = (typeof PHASES)[number];

/** Where a policy may be attached. */
export const SCOPES = ["global", "api", "route", "consumer"] as const;
export type Scope = (typeof SCOPES)[number];

/** What the console and the Admin API know about a policy: browser-safe, no handler. */
export interface PolicySchema<S extends z.ZodObject = z.ZodObject> {
  type: string;
  title: string;
  description: string;
  phase: Phase;
  /** Auth policies identify the consumer, so attaching them to a consumer makes no sense. */
  scopes: readonly Scope[];
  config: S;
  /**
   * Top-level config fields holding an upstream pool's id (a canary, a mirror). The Admin API
   * refuses an id that names no upstream, and refuses to delete an upstream a policy names;
   * the console draws these fields as a pick of upstreams.
   */
  upstreamFields?: readonly string[];
}

export interface PlanIdentity {
  id: string;
  name: string;
  /** Replaces a rate-limit policy's limits for the plan's consumers (a key's own limits win). */
  limits: KeyLimits;
  quota: PlanQuota;
}

export interface ConsumerIdentity {
  id: string;
  name: string;
  groups: readonly string[];
  plan: PlanIdentity | null;
}

export interface KeyIdentity {
  id: string;
  consumerId: string;
  /** Null: every API. */
  apiIds: ReadonlySet<string> | null;
  /** Epoch milliseconds, or null for never. */
  expiresAt: number | null;
  revokedAt: number | null;
  limits: KeyLimits;
}

/** The config the gateway serves, as the lookups auth policies need; rebuilt per revision. */
export interface Credentials {
  /** A key by its SHA-256 digest as 32 latin1 characters (`verifiedKeyDigest`). */
  keyByDigest(digest: string): KeyIdentity | undefined;
  consumer(id: string): ConsumerIdentity | undefined;
  consumerByName(name: string): ConsumerIdentity | undefined;
}

/** Where the request goes upstream; policies may change any part before it is sent. */
export interface UpstreamRequest {
  /** The path sent upstream (after the route's strip or rewrite, before the target's base path), without the query. */
  path: string;
  /** The query sent upstream without the leading `?`, or "". Parameters in `stripQuery` are removed after the chain. */
  query: string;
  /** Sent as the Host header in place of the target's own; null keeps the target's. */
  host: string | null;
  /** Another upstream pool to send to (a canary); null: the API's own. */
  upstreamId: string | null;
  /** Sent in place of the client's body (a rewritten JSON body); null: the client's, streamed. */
  body: Buffer | null;
}

/** The upstream's answer as response hooks see it, before the client gets any of it. */
export interface UpstreamResponse {
  status: number;
  /** Lower-case names as the upstream sent them; a hook may add, change or delete. Hop-by-hop ones never reach the client. */
  headers: Record<string, string | string[]>;
}

/**
 * What a policy does to the upstream's answer, run in the order the hooks were added (chain
 * order). A hook with `transformBody` makes the gateway hold the body (up to `bodyLimit`) and
 * send what the hook returns; a larger body streams through untouched. `onData`/`onEnd` see
 * the body as it goes to the client, after every transform. Hooks are added per request; after
 * `onEnd(false)` a retry on another target may call `onHeaders` again. A HEAD answer has no
 * body to transform: add no `transformBody` hook for HEAD. A 204 or 304 is never held. A hook's
 * `onHeaders` may drop its own `transformBody` (an answer it leaves alone, e.g. not JSON): that
 * answer then streams instead of being held.
 */
export interface ResponseHook {
  onHeaders?(response: UpstreamResponse): void;
  /** The largest body `transformBody` is given; required with it. */
  bodyLimit?: number;
  transformBody?(body: Buffer, response: UpstreamResponse): Buffer;
  onData?(chunk: Buffer): void;
  /** `complete`: the whole body reached the client; false when the exchange failed or was cut. */
  onEnd?(complete: boolean): void;
}

/**
 * What the gateway tells a tracing policy of one request, once the policy turned it on by
 * setting `ctx.trace` (most requests are not traced, and then nothing is measured). Times are
 * epoch milliseconds with fractions (`epochNow`).
 */
export interface RequestTrace {
  /** A policy that ran after the tracing one finished (its promise settled, for an async one). */
  stepEnded(phase: Phase, type: string, start: number, end: number): void;
  /** The gateway began sending the request upstream. */
  upstreamStarted(at: number): void;
  /** The client's exchange is over; `status` is 0 when no answer was sent. */
  finished(status: number, at: number): void;
}

/** Epoch milliseconds with sub-millisecond precision, for span times. */
export function epochNow(): number {
  return performance.timeOrigin + performance.now();
}

/**
 * One request as policies see it: read what they need, write what they add. Not Node's
 * request, so a policy can be tested with a plain object.
 */
export interface PolicyContext {
  readonly method: string;
  /** The client's path, without the query. */
  readonly path: string;
  /** The query string without the leading `?`, or "". */
  readonly query: string;
  /** The client's headers, lower-case names as Node gives them. */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The peer address of the client connection. */
  readonly remoteAddress: string;
  readonly apiId: string;
  readonly routeId: string;
  /** Epoch milliseconds, read once per request. */
  readonly now: number;
  consumer: ConsumerIdentity | null;
  key: KeyIdentity | null;
  /** The verified token's claims, once a jwt policy admitted the request; null otherwise. */
  claims: Readonly<Record<string, unknown>> | null;
  /** Headers set on the upstream request (e.g. X-Consumer-Id), replacing any the client sent. */
  readonly upstreamHeaders: Record<string, string>;
  /** Client headers never forwarded (a credential). */
  readonly stripHeaders: string[];
  /** Query parameters never forwarded (a credential). */
  readonly stripQuery: string[];
  /** Headers on whatever answer the client gets, success or refusal. */
  readonly responseHeaders: Record<string, string>;
  /** The largest request body this request may send (0: no limit); lowered by request-size-limit. */
  maxBodyBytes: number;
  /** The id sent upstream as X-Request-Id and on the answer. */
  readonly requestId: string;
  /** The route's path parameters (`/users/:id` gives `id`). */
  readonly params: Readonly<Record<string, string>>;
  readonly upstream: UpstreamRequest;
  readonly responseHooks: ResponseHook[];
  /** Set by a tracing policy to be told of the rest of the request; null otherwise. */
  trace: RequestTrace | null;
  /**
   * The client's body, read whole: an empty buffer when there is none, null when it is larger
   * than `limit` (what was read is then still sent upstream, followed by the rest, untouched).
   * Reads once; later calls give the same answer. Rejects when the client's upload fails.
   */
  readBody(limit: number): Promise<Buffer | null>;
}

/** A refusal: the gateway answers with the JSON error envelope and these headers. */
export interface Rejection {
  kind: "reject";
  code: ErrorCode;
  message: string;
  headers?: Record<string, string>;
  /** What was wrong, one entry per failing part of the request (`body.items[0].qty`), in the envelope's `fields`. */
  fields?: FieldError[];
}

/** An answer the gateway gives itself without calling the upstream (a CORS preflight, a cache hit). */
export interface DirectResponse {
  kind: "respond";
  status: number;
  headers: Record<string, string | string[]>;
  /** None for HEAD or an empty answer. */
  body?: Buffer;
}

export type Verdict = Rejection | DirectResponse | undefined;

export interface PolicyHandler {
  /** Synchronous where it can be: a promise only when the policy must wait (JWKS, Redis). */
  handle(ctx: PolicyContext): Verdict | Promise<Verdict>;
  /** Releases what the handler holds (timers, connections) when its revision is retired. */
  close?(): void;
}

/** One quota counter a request must fit. */
export interface QuotaCheck {
  counter: string;
  /** Epoch ms: a counter counts one period at a time and starts afresh in a newer one. */
  periodStart: number;
  limit: number;
}

export interface QuotaAdmission {
  /** Each counter's count before this request. */
  used: number[];
  /** Whether every counter was below its limit, and so counted this request. */
  admitted: boolean;
}

/** Counts that survive a gateway restart (quotas), kept by the gateway in analytics.db. */
export interface DurableCounters {
  /**
   * Counts one request in every counter when all are below their limit, else in none: one
   * atomic step, across every thread the counts are shared by.
   */
  admit(checks: readonly QuotaCheck[], now: number): QuotaAdmission;
}

/** Long-lived things a handler may share across revisions, owned by the gateway. */
/** A request the gateway sends on a policy's behalf (a mirror), outside any client's exchange. */
export interface SideRequest {
  method: string;
  /** Path and query, before the target's base path. */
  path: string;
  headers: Record<string, string>;
  body: Buffer | null;
  timeoutMs: number;
}

/** The upstream pools of the config being served, for policies that send to one. */
export interface UpstreamPools {
  has(upstreamId: string): boolean;
  /** Resolves with the status the pool answered, rejects on a failure or timeout. */
  send(upstreamId: string, request: SideRequest): Promise<number>;
}

/** A counter family policies add to, shown in the gateway's /metrics. */
export interface PolicyMetric {
  /** A Prometheus counter name, ending in `_total`. */
  name: string;
  help: string;
}

/** Counts of what policies did, labelled by policy id and outcome, summed over every thread of the host. */
export interface PolicyMetrics {
  count(metric: PolicyMetric, policyId: string, outcome: string): void;
}

/** An operator's purge of an API's cached answers, recorded in config at `revision`. */
export interface CachePurge {
  apiId: string;
  /** Only answers to client paths starting with this; "/" purges all of the API's. */
  prefix: string;
  revision: number;
}

/** The config revision being compiled and the recent cache purges up to it, for caching policies. */
export interface CacheRevision {
  revision: number;
  purges: readonly CachePurge[];
}

export interface PolicyServices {
  credentials: Credentials;
  /** Absent where nothing reads the counts (handler tests that do not need them). */
  metrics?: PolicyMetrics;
  /** Absent where no gateway serves the policy (handler tests): nothing was purged, revision 0. */
  cache?: CacheRevision;
  /** Absent where no gateway serves the policy (handler tests that do not need it). */
  upstreams?: UpstreamPools;
  counters: DurableCounters;
  /**
   * Rate-limit counters shared by every thread of the host. Without it a memory store counts
   * for this thread alone (a single-threaded gateway, tests).
   */
  windows?: WindowTable;
  /** State that must outlive a reload (rate-limit counters), keyed by the policy's id. */
  state<T>(policyId: string, create: () => T): T;
  log(line: string): void;
}

export interface PolicyDefinition<S extends z.ZodObject = z.ZodObject> extends PolicySchema<S> {
  create(config: z.output<S>, services: PolicyServices, policyId: string): PolicyHandler;
}

export function reject(code: ErrorCode, message: string, headers?: Record<string, string>): Rejection {
  return headers ? { kind: "reject", code, message, headers } : { kind: "reject", code, message };
}

/** The first value of a header that may repeat. */
export function headerValue(ctx: PolicyContext, name: string): string | undefined {
  const value = ctx.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
