import type { ServerResponse } from "node:http";
import { ERROR_CODES, type ErrorCode, errorBody, type FieldError } from "@gatehouse/shared";
import { sampleOf } from "../analytics/traffic-sample.ts";

/** Writes the JSON error envelope, unless the client is gone or headers already went out. */
export function sendError(
  res: ServerResponse,
  code: ErrorCode,
  message: string,
  requestId: string,
  fields?: FieldError[],
): void {
  if (res.headersSent || res.destroyed) {
    res.destroy();
    return;
  }
  const sample = sampleOf(res);
  if (sample !== undefined) sample.refusal = code;
  const body = JSON.stringify(errorBody(code, message, requestId, fields));
  res.writeHead(ERROR_CODES[code], {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(body),
    "x-request-id": requestId,
  });
  res.end(body);
}

export class ClientGoneError extends Error {
  override name = "ClientGoneError";
}

/** A request body upload that moved no byte for the pool's send timeout. */
export class SendTimeoutError extends Error {
  override name = "SendTimeoutError";
  readonly code = "GATEHOUSE_SEND_TIMEOUT";
  /** True when the client stopped sending; false when the upstream stopped reading. */
  readonly clientSide: boolean;

  constructor(timeoutMs: number, clientSide: boolean) {
    super(
      clientSide
        ? `The request body made no progress for ${timeoutMs} ms`
        : `The upstream did not read the request body for ${timeoutMs} ms`,
    );
    this.clientSide = clientSide;
  }
}

const TIMEOUTS = new Set(["UND_ERR_CONNECT_TIMEOUT", "UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT", "ETIMEDOUT"]);

const UNREACHABLE: Record<string, string> = {
  ECONNREFUSED: "refused the connection",
  ECONNRESET: "closed the connection before answering",
  UND_ERR_SOCKET: "closed the connection before answering",
  EPIPE: "closed the connection before answering",
  ENOTFOUND: "host name does not resolve",
  EAI_AGAIN: "host name could not be resolved right now",
  EHOSTUNREACH: "host cannot be reached from the gateway",
  ENETUNREACH: "network cannot be reached from the gateway",
};

/** An undici/socket failure as the client-facing code: a timeout is 504, anything else 502. */
export function upstreamFailure(error: Error): { code: ErrorCode; message: string } {
  // No 408 code exists in the shared list yet: a stalled client upload is its own bad request.
  if (error instanceof SendTimeoutError) {
    return { code: error.clientSide ? "bad_request" : "upstream_timeout", message: error.message };
  }
  const code = (error as { code?: string }).code ?? "";
  if (TIMEOUTS.has(code)) return { code: "upstream_timeout", message: `The upstream did not answer in time (${code})` };
  if (error.name === "HTTPParserError" || code.startsWith("HPE_")) {
    return { code: "upstream_unavailable", message: "The upstream answered with something that is not HTTP" };
  }
  // The code stays for operators; undici's own message text does not reach the client.
  const why = UNREACHABLE[code];
  return {
    code: "upstream_unavailable",
    message: why ? `The upstream ${why} (${code})` : `The upstream could not be reached${code ? ` (${code})` : ""}`,
  };
}
