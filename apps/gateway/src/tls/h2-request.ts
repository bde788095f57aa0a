import type { IncomingMessage, RequestListener } from "node:http";

/**
 * HTTP/2 requests reach the proxy handler through Node's compatibility API, whose request
 * carries pseudo-headers (`:path`, `:authority`, …) in its raw headers and no Host. The handler
 * and every policy read requests as HTTP/1.1 has them: the pseudo-headers leave the raw list
 * (they must never be forwarded) and `:authority` becomes Host, as RFC 9113 §8.3.1 maps it.
 */
export function acceptHttp2(handler: RequestListener): RequestListener {
  return function handleTls(req, res) {
    if (req.httpVersionMajor === 2) asHttp1Headers(req);
    handler(req, res);
  };
}

function asHttp1Headers(req: IncomingMessage): void {
  const raw = req.rawHeaders;
  let kept = 0;
  for (let i = 0; i < raw.length; i += 2) {
    if ((raw[i] as string).startsWith(":")) continue;
    raw[kept++] = raw[i] as string;
    raw[kept++] = raw[i + 1] as string;
  }
  raw.length = kept;
  const authority = req.headers[":authority"];
  if (req.headers.host === undefined && typeof authority === "string") {
    req.headers.host = authority;
    raw.push("host", authority);
  }
}
