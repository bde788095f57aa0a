import type { IncomingMessage, ServerResponse } from "node:http";
import { type PolicyContext, type RouteChain, runChain, type Verdict } from "@gatehouse/policies";
import { sendError } from "../proxy/errors.ts";
import { clientAddress } from "../proxy/headers.ts";

/** The request as policies see it, built only for routes that have policies. */
export function policyContext(
  req: IncomingMessage,
  path: string,
  query: string,
  apiId: string,
  routeId: string,
  maxBodyBytes: number,
): PolicyContext {
  return {
    method: req.method ?? "GET",
    path,
    query: query === "" ? "" : query.slice(1),
    headers: req.headers,
    remoteAddress: clientAddress(req),
    apiId,
    routeId,
    now: Date.now(),
    consumer: null,
    key: null,
    upstreamHeaders: {},
    stripHeaders: [],
    stripQuery: [],
    responseHeaders: {},
    maxBodyBytes,
  };
}

export type { RouteChain, Verdict };
export { runChain };

/**
 * Answers a request the chain stopped. Headers policies added (rate-limit counters, CORS)
 * go on this answer too; they are already on `res` through setHeader.
 */
export function answerVerdict(res: ServerResponse, verdict: NonNullable<Verdict>, requestId: string): void {
  if (verdict.kind === "respond") {
    if (res.headersSent || res.destroyed) return;
    res.writeHead(verdict.status, { ...verdict.headers, "x-request-id": requestId, "content-length": 0 }).end();
    return;
  }
  if (verdict.headers) {
    for (const name in verdict.headers) res.setHeader(name, verdict.headers[name] as string);
  }
  sendError(res, verdict.code, verdict.message, requestId);
}

/** The query without the parameters a policy took a credential from. */
export function withoutParams(query: string, names: readonly string[]): string {
  if (names.length === 0 || query === "") return query;
  const params = new URLSearchParams(query.slice(1));
  for (const name of names) params.delete(name);
  const rest = params.toString();
  return rest === "" ? "" : `?${rest}`;
}
