import type { ServerResponse } from "node:http";
import { ERROR_CODES, type ErrorCode, errorBody } from "@gatehouse/shared";

/** Writes the JSON error envelope, unless the client is gone or headers already went out. */
export function sendError(res: ServerResponse, code: ErrorCode, message: string, requestId: string): void {
  if (res.headersSent || res.destroyed) {
    res.destroy();
    return;
  }
  const body = JSON.stringify(errorBody(code, message, requestId));
  res.writeHead(ERROR_CODES[code], {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(body),
    "x-request-id": requestId,
  });
  res.end(body);
}

const TIMEOUTS = new Set(["UND_ERR_CONNECT_TIMEOUT", "UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT", "ETIMEDOUT"]);

/** An undici/socket failure as the client-facing code: a timeout is 504, anything else 502. */
export function upstreamFailure(error: Error): { code: ErrorCode; message: string } {
  const code = (error as { code?: string }).code ?? "";
  if (TIMEOUTS.has(code)) return { code: "upstream_timeout", message: `The upstream did not answer in time (${code})` };
  return { code: "upstream_unavailable", message: `The upstream could not be reached (${code || error.message})` };
}
