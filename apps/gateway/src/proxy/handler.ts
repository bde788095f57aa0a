import type { IncomingMessage, ServerResponse } from "node:http";
import { newId } from "@gatehouse/shared";
import type { RuntimeConfig } from "../config/compile.ts";
import { upstreamPath } from "../router/rewrite.ts";
import { sendError } from "./errors.ts";
import { ProxyExchange } from "./forward.ts";
import { incomingRequestId, upstreamRequestHeaders } from "./headers.ts";

export interface ConfigSource {
  readonly current: RuntimeConfig | null;
}

/** The proxy port's request listener: match, pick a target, forward. Nothing here touches SQLite. */
export function createProxyHandler(config: ConfigSource, proto = "http") {
  return function handleProxy(req: IncomingMessage, res: ServerResponse): void {
    const requestId = incomingRequestId(req.headers["x-request-id"]) ?? newId("request");
    // The snapshot this request keeps, whatever reloads happen meanwhile.
    const live = config.current;
    if (live === null) {
      sendError(res, "gateway_unavailable", "The gateway has not loaded a configuration yet", requestId);
      return;
    }
    const method = req.method ?? "GET";
    let url = req.url ?? "/";
    if (!url.startsWith("/")) url = absoluteFormPath(url);
    const q = url.indexOf("?");
    const path = q === -1 ? url : url.slice(0, q);
    const query = q === -1 ? "" : url.slice(q);

    const match = live.router.match({ method, host: req.headers.host, path, headers: req.headers });
    if (match === null) {
      sendError(res, "no_route", `No route matches ${method} ${path}`, requestId);
      return;
    }
    const route = match.data;
    if (!route.apiEnabled) {
      sendError(res, "api_disabled", `The API ${route.apiName} is disabled`, requestId);
      return;
    }
    const upstream = route.upstream;
    const target = upstream.balancer.pick(req, null);
    if (target === null) {
      sendError(res, "no_healthy_upstream", `The upstream ${upstream.name} has no healthy target`, requestId);
      return;
    }
    const forwardPath =
      upstreamPath(path, match.matchedLength, route.stripPath, route.rewrite, match.paramNames, match.paramValues) +
      query;
    const hasBody = req.headers["transfer-encoding"] !== undefined || (req.headers["content-length"] ?? "0") !== "0";
    const headers = upstreamRequestHeaders(req, requestId, proto);
    new ProxyExchange(req, res, requestId, upstream, forwardPath, headers, hasBody).forward(target);
  };
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
