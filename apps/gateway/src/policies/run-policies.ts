import type { IncomingMessage, ServerResponse } from "node:http";
import { type PolicyContext, type RouteChain, runChain, upstreamQuery, type Verdict } from "@gatehouse/policies";
import { sendError } from "../proxy/errors.ts";
import { clientAddress } from "../proxy/headers.ts";
import type { RequestBody } from "../proxy/request-body.ts";

/** What the proxy handler knows of a matched request when it runs the chain. */
export interface MatchedRequest {
  path: string;
  /** With its leading `?`, or "". */
  query: string;
  apiId: string;
  routeId: string;
  requestId: string;
  /** The path to forward, after the route's strip or rewrite. */
  forwardPath: string;
  paramNames: readonly string[];
  paramValues: readonly string[];
  maxBodyBytes: number;
}

/** The request as policies see it, built only for routes that have policies. */
export function policyContext(req: IncomingMessage, matched: MatchedRequest, body: RequestBody): PolicyContext {
  const { path, query, apiId, routeId, maxBodyBytes } = matched;
  const params: Record<string, string> = {};
  for (let i = 0; i < matched.paramNames.length; i++) {
    params[matched.paramNames[i] as string] = matched.paramValues[i] ?? "";
  }
  const bareQuery = query === "" ? "" : query.slice(1);
  return {
    method: req.method ?? "GET",
    path,
    query: bareQuery,
    headers: req.headers,
    remoteAddress: clientAddress(req),
    apiId,
    routeId,
    now: Date.now(),
    consumer: null,
    key: null,
    claims: null,
    upstreamHeaders: {},
    stripHeaders: [],
    stripQuery: [],
    responseHeaders: {},
    maxBodyBytes,
    requestId: matched.requestId,
    params,
    upstream: { path: matched.forwardPath, query: bareQuery, host: null, upstreamId: null, body: null },
    responseHooks: [],
    readBody: (limit) => body.read(limit),
  };
}

export type { RouteChain, Verdict };
export { runChain, upstreamQuery };

/**
 * Answers a request the chain stopped. Headers policies added (rate-limit counters, CORS)
 * go on this answer too; they are already on `res` through setHeader.
 */
export function answerVerdict(res: ServerResponse, verdict: NonNullable<Verdict>, requestId: string): void {
  if (verdict.kind === "respond") {
    if (res.headersSent || res.destroyed) return;
    const body = verdict.body;
    // A HEAD answer keeps the length its GET would have (a cached copy's); it sends no body either way.
    const declared = verdict.headers["content-length"];
    const headLength = res.req?.method === "HEAD" && typeof declared === "string" ? declared : undefined;
    res.writeHead(verdict.status, {
      ...verdict.headers,
      "x-request-id": requestId,
      "content-length": body === undefined ? (headLength ?? 0) : body.length,
    });
    res.end(body);
    return;
  }
  if (verdict.headers) {
    for (const name in verdict.headers) res.setHeader(name, verdict.headers[name] as string);
  }
  sendError(res, verdict.code, verdict.message, requestId, verdict.fields);
}
