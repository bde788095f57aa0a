import type { IncomingHttpHeaders, IncomingMessage } from "node:http";
import type { PolicyContext } from "@gatehouse/policies";
import { isHopByHop } from "@gatehouse/shared";

/** Request headers the gateway sets itself, or that undici sets (host) or refuses (expect). */
const REPLACED_ON_REQUEST = new Set(["host", "expect", "x-forwarded-proto", "x-forwarded-host", "x-request-id"]);

const REQUEST_ID = /^[A-Za-z0-9._:/+=@-]{1,200}$/;

/** The header names a Connection header lists, which are hop-by-hop too. */
function connectionTokens(value: string | string[] | undefined): Set<string> | null {
  // The usual values name no header beyond those always dropped: nothing to split per request.
  if (value === undefined || value === "keep-alive" || value === "close" || value === "Keep-Alive" || value === "Close")
    return null;
  const joined = Array.isArray(value) ? value.join(",") : value;
  const tokens = new Set<string>();
  for (const token of joined.split(",")) {
    const name = token.trim().toLowerCase();
    if (name !== "") tokens.add(name);
  }
  return tokens;
}

/** Keeps a well-formed incoming X-Request-Id, else returns null so the caller makes one. */
export function incomingRequestId(value: string | string[] | undefined): string | null {
  return typeof value === "string" && REQUEST_ID.test(value) ? value : null;
}

/** Where the proxy handler leaves the id of the consumer an auth policy named, for hashing on it. */
export const kConsumerId = Symbol("gatehouse.consumerId");
export type WithConsumerId = IncomingMessage & { [kConsumerId]?: string };

export function clientAddress(req: IncomingMessage): string {
  const address = req.socket.remoteAddress ?? "";
  return address.startsWith("::ffff:") ? address.slice(7) : address;
}

/**
 * Flat [name, value, …] headers for the upstream request, hop-by-hop removed and X-Forwarded-*
 * set; with policies, their credentials left out and their headers (X-Consumer-Id) set in
 * place of any the client sent.
 */
export function upstreamRequestHeaders(
  req: IncomingMessage,
  requestId: string,
  proto: string,
  policy: Pick<PolicyContext, "stripHeaders" | "upstreamHeaders" | "upstream"> | null = null,
): string[] {
  const replacedBody = policy?.upstream.body ?? null;
  const raw = req.rawHeaders;
  const named = connectionTokens(req.headers.connection);
  const out: string[] = [];
  let forwardedFor = "";
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i] as string;
    const value = raw[i + 1] as string;
    const lower = name.toLowerCase();
    if (isHopByHop(lower) || REPLACED_ON_REQUEST.has(lower) || named?.has(lower)) continue;
    if (policy !== null && (policy.stripHeaders.includes(lower) || Object.hasOwn(policy.upstreamHeaders, lower)))
      continue;
    if (replacedBody !== null && lower === "content-length") continue;
    if (lower === "x-forwarded-for") {
      forwardedFor = forwardedFor === "" ? value : `${forwardedFor}, ${value}`;
      continue;
    }
    out.push(name, value);
  }
  const client = clientAddress(req);
  out.push(
    "x-forwarded-for",
    forwardedFor === "" ? client : `${forwardedFor}, ${client}`,
    "x-forwarded-proto",
    proto,
    "x-request-id",
    requestId,
  );
  if (req.headers.host !== undefined) out.push("x-forwarded-host", req.headers.host);
  if (policy !== null) {
    for (const name in policy.upstreamHeaders) out.push(name, policy.upstreamHeaders[name] as string);
    // undici sends the target's host unless the headers name one.
    if (policy.upstream.host !== null) out.push("host", policy.upstream.host);
    if (replacedBody !== null) out.push("content-length", String(replacedBody.length));
  }
  return out;
}

/** Flat headers for the client response: the upstream's without hop-by-hop ones, plus X-Request-Id. */
export function clientResponseHeaders(headers: IncomingHttpHeaders, requestId: string): string[] {
  const named = connectionTokens(headers.connection);
  const out: string[] = [];
  for (const name in headers) {
    const value = headers[name];
    if (value === undefined || isHopByHop(name) || name === "x-request-id" || named?.has(name)) continue;
    if (Array.isArray(value)) {
      for (const item of value) out.push(name, item);
    } else {
      out.push(name, value);
    }
  }
  out.push("x-request-id", requestId);
  return out;
}
