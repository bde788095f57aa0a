import { type ServerResponse, STATUS_CODES } from "node:http";
import type { Socket } from "node:net";
import type { Duplex } from "node:stream";
import { ERROR_CODES, type ErrorCode, errorBody, newId } from "@gatehouse/shared";
import type { EdgeLimits } from "./limits.ts";

type ParserError = Error & { code?: string; reason?: string };
type ServerSocket = Socket & { _httpMessage?: ServerResponse | null };

/**
 * The proxy server's `clientError` listener: what Node's parser refuses (malformed framing,
 * headers over the limit, a request not received in time) gets the JSON error envelope and
 * `Connection: close` instead of Node's bare `400 Bad Request`.
 */
export function createClientErrorHandler(limits: Pick<EdgeLimits, "maxHeaderBytes">) {
  return function onClientError(error: ParserError, duplex: Duplex): void {
    const socket = duplex as ServerSocket;
    const pending = socket._httpMessage;
    // A reset needs no answer. A pending response may be this request's (its body was malformed
    // or too slow: the request is incomplete) or an earlier pipelined one's, which we must not
    // answer for; and once its headers are out it cannot be replaced.
    const cannotAnswer = pending != null && (pending.headersSent || pending.req.complete);
    if (error.code === "ECONNRESET" || !socket.writable || cannotAnswer) {
      socket.destroy();
      return;
    }
    const [code, message] = describe(error, limits.maxHeaderBytes);
    const status = ERROR_CODES[code];
    const requestId = newId("request");
    const body = JSON.stringify(errorBody(code, message, requestId));
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\ncontent-type: application/json; charset=utf-8\r\n` +
        `content-length: ${Buffer.byteLength(body)}\r\nx-request-id: ${requestId}\r\nconnection: close\r\n\r\n${body}`,
    );
    socket.destroySoon();
  };
}

function describe(error: ParserError, maxHeaderBytes: number): [ErrorCode, string] {
  switch (error.code) {
    case "HPE_HEADER_OVERFLOW":
      return ["headers_too_large", `The request line and headers exceed ${maxHeaderBytes} bytes`];
    case "ERR_HTTP_REQUEST_TIMEOUT":
      return ["request_timeout", "The request was not received in time"];
    case "HPE_CHUNK_EXTENSIONS_OVERFLOW":
      return ["bad_request", "The chunk extensions are too large"];
    default:
      return ["bad_request", `The request could not be parsed: ${error.reason ?? error.code ?? error.message}`];
  }
}
