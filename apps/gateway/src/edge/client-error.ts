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
    default: {
      // llhttp's reason ("Invalid header value char") is parser jargon: say what is wrong in HTTP's terms.
      const problem =
        error.code === "HPE_INVALID_TRANSFER_ENCODING" && /Content-Length/i.test(error.reason ?? "")
          ? "it sends both Transfer-Encoding and Content-Length"
          : PARSE_PROBLEMS[error.code ?? ""];
      return ["bad_request", problem ? `The request is not valid HTTP: ${problem}` : "The request is not valid HTTP"];
    }
  }
}

const MALFORMED_FRAMING = "its line endings or framing are malformed";

const PARSE_PROBLEMS: Record<string, string> = {
  HPE_INVALID_METHOD: "the method is not a valid HTTP method",
  HPE_INVALID_URL: "the request target is malformed",
  HPE_INVALID_VERSION: "the request line or its HTTP version is malformed",
  HPE_INVALID_HEADER_TOKEN: "a header name or value has characters HTTP does not allow",
  HPE_UNEXPECTED_SPACE: "a header has a space where HTTP does not allow one",
  HPE_INVALID_CONTENT_LENGTH: "Content-Length is not a plain number",
  HPE_UNEXPECTED_CONTENT_LENGTH: "Content-Length is given more than once",
  HPE_INVALID_TRANSFER_ENCODING: "Transfer-Encoding is malformed",
  HPE_INVALID_CHUNK_SIZE: "a chunk size is malformed",
  HPE_CR_EXPECTED: MALFORMED_FRAMING,
  HPE_LF_EXPECTED: MALFORMED_FRAMING,
  HPE_STRICT: MALFORMED_FRAMING,
  HPE_INVALID_CONSTANT: MALFORMED_FRAMING,
  HPE_INVALID_EOF_STATE: "the connection closed before the request was complete",
};
