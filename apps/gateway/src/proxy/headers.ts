import type { IncomingHttpHeaders, IncomingMessage } from "node:http";
import type { PolicyContext } from "@gatehouse/policies";
import { connectionTokens, isHopByHop } from "@gatehouse/shared";

/** Request headers the gateway sets itself, or that undici sets (host) or refuses (expect). */
const REPLACED_ON_REQUEST = new Set(["host", "expect", "x-forwarded-proto", "x-forwarded-host", "x-request-id"]);

const REQUEST_ID = /^[A-Za-z0-9._:/+=@-]{1,200}$/;

/** Keeps a well-formed incoming X-Request-Id, else returns null so the caller makes one. */
export function incomingRequestId(value: string | string[] | undefined): string | null {
  return typeof value === "string" && REQUEST_ID.test(value) ? value : null;
}

/** Where the proxy handler leaves the id of the consumer an auth policy named, for hashing on it. */
export const kConsumerId = Symbol("gatehouse.consumerId");
export type WithConsumerId = IncomingMessage & { [kConsumerId]?: string };

export function clientAddress(req: Pick<IncomingMessage, "socket">): string {
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

/** Policies set the same few header names on every request: each is lowered once, not per response. */
const lowerNames = new Map<string, string>();

function lowerName(name: string): string {
  let lower = lowerNames.get(name);
  if (lower === undefined) {
    lower = name.toLowerCase();
    // Names come from policy code, so they are few; the cap only guards against a policy that varies them.
    if (lowerNames.size < 1024) lowerNames.set(name, lower);
  }
  return lower;
}

/**
 * Appends the policies' headers to the upstream's; the upstream's own header of a name wins,
 * except Vary, which gets the policy's added (CORS: Origin), or shared caches mix origins.
 */
export function addPolicyHeaders(
  outgoing: string[],
  upstream: IncomingHttpHeaders,
  policy: Record<string, string>,
): void {
  for (const name in policy) {
    const lower = lowerName(name);
    if (upstream[lower] === undefined) {
      outgoing.push(name, policy[name] as string);
    } else if (lower === "vary") {
      for (let i = 0; i < outgoing.length; i += 2) {
        if (outgoing[i] === "vary") outgoing[i + 1] = `${outgoing[i + 1]}, ${policy[name]}`;
      }
    }
  }
}
