import type { IncomingMessage } from "node:http";
import { Http2ServerRequest } from "node:http2";
import type { ErrorCode } from "@gatehouse/shared";

/** Why a request is refused at the edge, before any routing. */
export interface Refusal {
  code: ErrorCode;
  message: string;
}

/** RFC 3986 host: an IP literal or a reg-name, then an optional port. */
const HOST = /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._~!$&'()*+,;=%-]*)(?::[0-9]*)?$/;

/**
 * The framing and target checks Node's parser leaves to us (RFC 9112). Node already refuses
 * Content-Length with Transfer-Encoding, repeated or malformed lengths, unknown codings,
 * obs-fold and control characters; FRAMING.md lists who refuses what.
 */
export function framingRefusal(req: IncomingMessage): Refusal | null {
  // A real HTTP/2 request comes from the TLS port, framed by Node's HTTP/2 layer; "HTTP/2.0" in an HTTP/1 request line is refused.
  if (req.httpVersionMajor !== 1 && !((req as unknown) instanceof Http2ServerRequest)) {
    return { code: "http_version_not_supported", message: `HTTP/${req.httpVersion} is not supported` };
  }
  const te = req.headers["transfer-encoding"];
  if (te !== undefined) {
    // Node accepts HTTP/1.0 with chunked (§6.1: faulty framing) and `gzip, chunked`, which we cannot decode.
    if (req.httpVersionMinor === 0) return bad("Transfer-Encoding is not allowed in an HTTP/1.0 request");
    if (te.trim().toLowerCase() !== "chunked") return bad(`Transfer-Encoding ${te} is not supported`);
  }
  const raw = req.rawHeaders;
  let hosts = 0;
  for (let i = 0; i < raw.length; i += 2) {
    if ((raw[i] as string).length === 4 && (raw[i] as string).toLowerCase() === "host") hosts++;
  }
  const host = req.headers.host;
  if (hosts > 1) return bad("More than one Host header");
  if (host === undefined) return req.httpVersionMinor === 1 ? bad("An HTTP/1.1 request needs a Host header") : null;
  if (!HOST.test(host)) return bad("The Host header is not a valid host");
  return targetRefusal(req.method ?? "GET", req.url ?? "", host);
}

/** Origin form without a fragment, `*` only for OPTIONS, absolute http(s) form naming the Host it came with. */
function targetRefusal(method: string, url: string, host: string): Refusal | null {
  if (url.startsWith("/")) {
    if (url.includes("#")) return bad("The request target has a fragment");
    return DOT_SEGMENT.test(pathOf(url)) ? bad("The request path has a . or .. segment") : null;
  }
  if (url === "*") return method === "OPTIONS" ? null : bad(`${method} * is not a valid request`);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return bad("The request target is not a path or an absolute URL");
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") return bad("The request target is not http(s)");
  if (parsed.username !== "" || parsed.password !== "") return bad("The request target has user info");
  if (parsed.hash !== "" || url.includes("#")) return bad("The request target has a fragment");
  // RFC 9112 §3.2.2 lets the target's authority override Host; two different hosts are refused instead.
  if (sameHost(parsed, host)) return null;
  return bad("The request target's host differs from the Host header");
}

/**
 * `.` and `..` segments, also percent-encoded. Routes match the path as sent, so
 * `/public/../admin` would match `/public` (and its policies) while an upstream that resolves
 * dot segments serves `/admin`; clients normalise paths before sending, so refusing costs nothing.
 */
const DOT_SEGMENT = /(?:^|\/)(?:\.|%2e){1,2}(?:\/|$)/i;

const pathOf = (url: string) => {
  const q = url.indexOf("?");
  return q === -1 ? url : url.slice(0, q);
};

function sameHost(target: URL, host: string): boolean {
  try {
    return new URL(`${target.protocol}//${host}`).host === target.host;
  } catch {
    return false;
  }
}

function bad(message: string): Refusal {
  return { code: "bad_request", message };
}
