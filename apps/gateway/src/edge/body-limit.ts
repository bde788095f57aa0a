import type { IncomingMessage } from "node:http";
import { type Readable, Transform, type TransformCallback } from "node:stream";

export class BodyTooLargeError extends Error {
  override name = "BodyTooLargeError";
  readonly code = "GATEHOUSE_BODY_TOO_LARGE";

  constructor(maxBytes: number) {
    super(`The request body exceeds ${maxBytes} bytes`);
  }
}

/** Passes a chunked body through until it exceeds `maxBytes`, then fails the upstream request. */
class BodyLimit extends Transform {
  readonly #maxBytes: number;
  #bytes = 0;

  constructor(maxBytes: number) {
    super();
    this.#maxBytes = maxBytes;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.#bytes += chunk.length;
    if (this.#bytes > this.#maxBytes) callback(new BodyTooLargeError(this.#maxBytes));
    else callback(null, chunk);
  }
}

/**
 * The request body as the upstream should get it. A Content-Length body is checked before
 * forwarding (Node's parser stops at the declared length), so only chunked bodies are counted.
 * No pipeline(): it would destroy the request, and with it the socket the 413 must go out on.
 */
export function limitedBody(req: IncomingMessage, maxBytes: number): Readable {
  if (maxBytes === 0 || req.headers["transfer-encoding"] === undefined) return req;
  return req.pipe(new BodyLimit(maxBytes));
}

/** The refusal for a declared Content-Length over the limit, or null. */
export function declaredLengthTooLarge(req: IncomingMessage, maxBytes: number): string | null {
  const length = req.headers["content-length"];
  if (maxBytes === 0 || length === undefined || Number(length) <= maxBytes) return null;
  return `The request body of ${length} bytes exceeds ${maxBytes} bytes`;
}
