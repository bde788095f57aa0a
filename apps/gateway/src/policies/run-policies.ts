import type { ServerResponse } from "node:http";
import { type RouteChain, runChain, upstreamQuery, type Verdict } from "@gatehouse/policies";
import { sendError } from "../proxy/errors.ts";

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
