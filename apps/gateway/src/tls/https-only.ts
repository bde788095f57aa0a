import type { IncomingMessage, ServerResponse } from "node:http";
import { sendError } from "../proxy/errors.ts";

/**
 * A plain-HTTP request to an `httpsOnly` route: GET and HEAD are sent to the same URL on the
 * TLS port (308 keeps the method), anything else is refused, since its body already crossed
 * the network in clear and a redirect would only make the client send it again.
 */
export function answerHttpsOnly(
  req: IncomingMessage,
  res: ServerResponse,
  requestId: string,
  tlsPort: number | null,
  url: string,
): void {
  const host = hostName(req.headers.host);
  if ((req.method === "GET" || req.method === "HEAD") && tlsPort !== null && host !== null) {
    const location = `https://${host}${tlsPort === 443 ? "" : `:${tlsPort}`}${url}`;
    res.writeHead(308, { location, "content-length": 0, "x-request-id": requestId }).end();
    return;
  }
  sendError(res, "https_required", "This route is served over HTTPS only", requestId);
}

/** The Host header without its port; IPv6 literals keep their brackets. */
function hostName(host: string | undefined): string | null {
  if (host === undefined || host === "") return null;
  const match = /^(\[[^\]]+\]|[^:]+)(?::\d*)?$/.exec(host);
  return match?.[1] ?? null;
}
