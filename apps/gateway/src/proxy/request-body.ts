import type { IncomingMessage } from "node:http";
import { PassThrough, type Readable } from "node:stream";
import { declaresBody } from "@gatehouse/shared";
import { BodyTooLargeError, limitedBody } from "../edge/body-limit.ts";

const EMPTY = Buffer.alloc(0);

/**
 * The client's body as policies may ask for it (validation, a JSON rewrite): read into memory
 * up to a limit, once. Whatever was read is still what goes upstream: the whole body as one
 * buffer, or, past the limit, the chunks read so far followed by the rest of the stream.
 */
export class RequestBody {
  readonly #req: IncomingMessage;
  #chunks: Buffer[] = [];
  #read: Promise<Buffer | null> | null = null;
  #whole: Buffer | null = null;

  constructor(req: IncomingMessage) {
    this.#req = req;
  }

  read(limit: number): Promise<Buffer | null> {
    if (this.#read !== null) return this.#read;
    const req = this.#req;
    if (!declaresBody(req.headers)) {
      this.#whole = EMPTY;
      this.#read = Promise.resolve(EMPTY);
      return this.#read;
    }
    this.#read = new Promise<Buffer | null>((resolve, reject) => {
      let bytes = 0;
      const stop = () => {
        req.off("data", onData);
        req.off("end", onEnd);
        req.off("error", onError);
        req.off("aborted", onAborted);
      };
      const onData = (chunk: Buffer) => {
        this.#chunks.push(chunk);
        bytes += chunk.length;
        if (bytes > limit) {
          req.pause();
          stop();
          resolve(null);
        }
      };
      const onEnd = () => {
        stop();
        this.#whole = this.#chunks.length === 1 ? (this.#chunks[0] as Buffer) : Buffer.concat(this.#chunks);
        resolve(this.#whole);
      };
      const onError = (error: Error) => {
        stop();
        reject(error);
      };
      const onAborted = () => onError(new Error("the client aborted the upload"));
      req.on("data", onData);
      req.on("end", onEnd);
      req.on("error", onError);
      req.on("aborted", onAborted);
    });
    return this.#read;
  }

  /** The whole body when it was read to its end, else null. */
  get whole(): Buffer | null {
    return this.#whole;
  }

  /**
   * What to send upstream after a read: the whole buffer, or what was read followed by the
   * rest, under the body limit (0: none). Throws BodyTooLargeError when what was read is over it.
   */
  forwarded(maxBytes: number): Buffer | Readable {
    const held = this.#whole?.length ?? this.#held();
    if (maxBytes !== 0 && held > maxBytes) throw new BodyTooLargeError(maxBytes);
    if (this.#whole !== null) return this.#whole;
    const rest =
      maxBytes === 0 || held < maxBytes ? limitedBody(this.#req, maxBytes === 0 ? 0 : maxBytes - held) : null;
    const out = new PassThrough();
    for (const chunk of this.#chunks) out.write(chunk);
    this.#chunks = [];
    if (rest === null) {
      // Exactly at the limit: one more byte from the client is one too many.
      this.#req.once("data", () => out.destroy(new BodyTooLargeError(maxBytes)));
      this.#req.once("end", () => out.end());
    } else {
      rest.on("error", (error) => out.destroy(error));
      rest.pipe(out);
    }
    this.#req.resume();
    return out;
  }

  #held(): number {
    let bytes = 0;
    for (const chunk of this.#chunks) bytes += chunk.length;
    return bytes;
  }
}
