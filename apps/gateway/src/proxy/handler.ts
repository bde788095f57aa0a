import type { IncomingMessage, ServerResponse } from "node:http";
import type { Readable } from "node:stream";
import { type AccessLogger, epochNow } from "@gatehouse/policies";
import { declaresBody, type ErrorCode, newId } from "@gatehouse/shared";
import { type SampleSink, sampleOf, TrafficSample, trackSample } from "../analytics/traffic-sample.ts";
import type { CompiledRoute, CompiledUpstream, RuntimeConfig } from "../config/compile.ts";
import type { ConfigSource } from "../config/config-source.ts";
import { BodyTooLargeError, declaredLengthTooLarge, limitedBody } from "../edge/body-limit.ts";
import { framingRefusal, type Refusal } from "../edge/framing.ts";
import type { EdgeLimits } from "../edge/limits.ts";
import { GatewayPolicyContext } from "../policies/gateway-context.ts";
import type { KeyUsageRecorder } from "../policies/key-usage.ts";
import { answerVerdict, runChain, upstreamQuery, type Verdict } from "../policies/run-policies.ts";
import { traceAnswer } from "../policies/trace-answer.ts";
import { upstreamPath } from "../router/rewrite.ts";
import { answerHttpsOnly } from "../tls/https-only.ts";
import { sendError } from "./errors.ts";
import { ProxyExchange } from "./forward.ts";
import { incomingRequestId, kConsumerId, upstreamRequestHeaders, type WithConsumerId } from "./headers.ts";
import { endUnanswered } from "./hooked-response.ts";

export interface ProxyContext {
  config: Pick<ConfigSource, "current">;
  limits: Pick<EdgeLimits, "maxBodyBytes" | "maxUrlBytes">;
  /** One line per failed request; no stacks. */
  log: (line: string) => void;
  /** Set once the gateway stops: answers carry `Connection: close` so clients stop reusing connections. */
  draining: boolean;
  /** Told of each request an API key let through. */
  keyUsage?: Pick<KeyUsageRecorder, "used">;
  /** Told of each request that matched a route, once its response is over; none when analytics are off. */
  samples?: SampleSink | undefined;
  /** Told of every request once its response is over (GATEHOUSE_ACCESS_LOG=json). */
  accessLog?: AccessLogger | undefined;
  /** Requests this thread took, for the per-worker count in /metrics. */
  requests: number;
  /** Where `httpsOnly` routes redirect plain HTTP to; null while the TLS port is off. */
  tlsPort?: number | null;
}

/** The proxy port's request listener: refuse, match, pick a target, forward. Nothing here touches SQLite. */
export function createProxyHandler(context: ProxyContext, proto = "http") {
  const { config, limits } = context;
  return function handleProxy(req: IncomingMessage, res: ServerResponse): void {
    context.requests++;
    const requestId = incomingRequestId(req.headers["x-request-id"]) ?? newId("request");
    if (context.draining) res.shouldKeepAlive = false;
    const refusal = framingRefusal(req) ?? limitRefusal(req, limits);
    if (refusal !== null) {
      // The rest of the connection cannot be trusted to be framed as we think: close it.
      res.shouldKeepAlive = false;
      refuseUnmatched(req, res, requestId, refusal.code, refusal.message);
      return;
    }
    let url = req.url as string;
    if (url === "*") {
      // `OPTIONS *` asks about the gateway itself, not about any API behind it.
      res.writeHead(204, { "x-request-id": requestId }).end();
      return;
    }
    // The snapshot this request keeps, whatever reloads happen meanwhile.
    const live = config.current;
    if (live === null) {
      refuseUnmatched(req, res, requestId, "gateway_unavailable", "The gateway has not loaded a configuration yet");
      return;
    }
    const method = req.method ?? "GET";
    if (!url.startsWith("/")) url = absoluteFormPath(url);
    const q = url.indexOf("?");
    const path = q === -1 ? url : url.slice(0, q);
    const query = q === -1 ? "" : url.slice(q);

    const match = live.router.match({ method, host: req.headers.host, path, headers: req.headers });
    if (match === null) {
      refuseUnmatched(req, res, requestId, "no_route", `No route matches ${method} ${path}`, path);
      return;
    }
    const route = match.data;
    // Log policies read the finished request from its sample, so a route with policies has one.
    if (context.samples !== undefined || context.accessLog !== undefined || route.chain !== null) {
      track(res, new TrafficSample(req, route.apiId, route.id, path, requestId));
    }
    if (route.httpsOnly && proto === "http") {
      answerHttpsOnly(req, res, requestId, context.tlsPort ?? null, url);
      return;
    }
    if (!route.apiEnabled) {
      sendError(res, "api_disabled", `The API ${route.apiName} is disabled`, requestId);
      return;
    }
    const forwardPath = upstreamPath(
      path,
      match.matchedLength,
      route.stripPath,
      route.rewrite,
      match.paramNames,
      match.paramValues,
    );
    if (route.chain === null) {
      const sample = sampleOf(res);
      if (sample !== undefined) sample.upstreamId = route.upstream.id;
      forward(req, res, requestId, route.upstream, forwardPath + query, null, limits.maxBodyBytes);
      return;
    }
    const ctx = new GatewayPolicyContext(req, {
      path,
      query,
      apiId: route.apiId,
      routeId: route.id,
      requestId,
      forwardPath,
      paramNames: match.paramNames,
      paramValues: match.paramValues,
      maxBodyBytes: limits.maxBodyBytes,
    });
    const verdict = runChain(route.chain, ctx);
    if (ctx.trace !== null) traceAnswer(res, ctx.trace);
    if (verdict instanceof Promise) {
      verdict.then(
        (settled) => afterPolicies(req, res, route, live, ctx, settled),
        (error: Error) => {
          endUnanswered(ctx.responseHooks);
          context.log(`policy: ${route.apiName}: ${error.message}`);
          sendError(res, "internal_error", "A policy failed", requestId);
        },
      );
      return;
    }
    afterPolicies(req, res, route, live, ctx, verdict);
  };

  /** A refusal before any route matched: a sample with no API or route, so the log and the analytics count it too. */
  function refuseUnmatched(
    req: IncomingMessage,
    res: ServerResponse,
    requestId: string,
    code: ErrorCode,
    message: string,
    path = pathOf(req.url ?? "/"),
  ): void {
    if (context.samples !== undefined || context.accessLog !== undefined) {
      track(res, new TrafficSample(req, "", "", path, requestId));
    }
    sendError(res, code, message, requestId);
  }

  function track(res: ServerResponse, sample: TrafficSample): void {
    trackSample(res, sample, context.samples ?? null);
    if (context.accessLog !== undefined) sample.loggers = [context.accessLog];
  }

  function afterPolicies(
    req: IncomingMessage,
    res: ServerResponse,
    route: CompiledRoute,
    live: RuntimeConfig,
    ctx: GatewayPolicyContext,
    verdict: Verdict,
  ): void {
    const { requestId } = ctx;
    const sample = sampleOf(res);
    if (sample !== undefined) {
      if (ctx.consumer !== null) sample.consumerId = ctx.consumer.id;
      sample.cacheStatus = ctx.responseHeaders["x-cache-status"] ?? null;
      if (ctx.accessLoggers.length > 0) sample.loggers = [...(sample.loggers ?? []), ...ctx.accessLoggers];
    }
    if (verdict !== undefined) {
      endUnanswered(ctx.responseHooks);
      for (const name in ctx.responseHeaders) res.setHeader(name, ctx.responseHeaders[name] as string);
      answerVerdict(res, verdict, requestId);
      return;
    }
    if (ctx.key !== null) context.keyUsage?.used(ctx.key.id, ctx.now);
    if (ctx.consumer !== null) (req as WithConsumerId)[kConsumerId] = ctx.consumer.id;
    const { upstreamId } = ctx.upstream;
    const upstream = upstreamId === null ? route.upstream : live.upstreamsById.get(upstreamId);
    if (upstream === undefined) {
      endUnanswered(ctx.responseHooks);
      sendError(res, "no_healthy_upstream", `The upstream ${upstreamId} does not exist`, requestId);
      return;
    }
    if (sample !== undefined) sample.upstreamId = upstream.id;
    const path = ctx.upstream.path + upstreamQuery(ctx.upstream.query, ctx.stripQuery);
    forward(req, res, requestId, upstream, path, ctx, ctx.maxBodyBytes);
  }

  function forward(
    req: IncomingMessage,
    res: ServerResponse,
    requestId: string,
    upstream: CompiledUpstream,
    forwardPath: string,
    ctx: GatewayPolicyContext | null,
    maxBodyBytes: number,
  ): void {
    const target = upstream.balancer.pick(req, null);
    if (target === null) {
      if (ctx !== null) endUnanswered(ctx.responseHooks);
      sendError(res, "no_healthy_upstream", `The upstream ${upstream.name} has no healthy target`, requestId);
      return;
    }
    let body: Readable | Buffer | null;
    try {
      body = requestBody(req, ctx, maxBodyBytes);
    } catch (error) {
      if (!(error instanceof BodyTooLargeError)) throw error;
      if (ctx !== null) endUnanswered(ctx.responseHooks);
      res.shouldKeepAlive = false;
      sendError(res, "payload_too_large", error.message, requestId);
      return;
    }
    const headers = upstreamRequestHeaders(req, requestId, proto, ctx);
    ctx?.trace?.upstreamStarted(epochNow());
    const exchange = new ProxyExchange(req, res, requestId, upstream, forwardPath, headers, body, context.log);
    if (ctx !== null) {
      exchange.policyHeaders = ctx.responseHeaders;
      if (ctx.responseHooks.length > 0) exchange.responseHooks = ctx.responseHooks;
    }
    exchange.forward(target);
  }
}

/** The body to send upstream: a policy's, what a policy read of the client's, or the client's streamed. */
function requestBody(
  req: IncomingMessage,
  ctx: GatewayPolicyContext | null,
  maxBodyBytes: number,
): Readable | Buffer | null {
  const replaced = ctx?.upstream.body ?? null;
  if (replaced !== null) {
    if (maxBodyBytes !== 0 && replaced.length > maxBodyBytes) throw new BodyTooLargeError(maxBodyBytes);
    // The client's body was read whole to be replaced; nothing of it is left to send.
    return replaced;
  }
  const read = ctx?.requestBody ?? null;
  if (read !== null) return read.forwarded(maxBodyBytes);
  return declaresBody(req.headers) ? limitedBody(req, maxBodyBytes) : null;
}

function limitRefusal(req: IncomingMessage, limits: ProxyContext["limits"]): Refusal | null {
  const url = req.url as string;
  if (url.length > limits.maxUrlBytes) {
    return { code: "uri_too_long", message: `The request target exceeds ${limits.maxUrlBytes} bytes` };
  }
  const tooLarge = declaredLengthTooLarge(req, limits.maxBodyBytes);
  return tooLarge === null ? null : { code: "payload_too_large", message: tooLarge };
}

/** The path of a request target, at most 200 characters: a refused request's target may be anything. */
function pathOf(url: string): string {
  const q = url.indexOf("?");
  return (q === -1 ? url : url.slice(0, q)).slice(0, 200);
}

/** `GET http://host/path` (absolute form, sent to proxies) reduced to its path and query. */
function absoluteFormPath(url: string): string {
  try {
    const parsed = new URL(url);
    return parsed.pathname + parsed.search;
  } catch {
    return "/";
  }
}
