import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from "node:http";
import type { Dispatcher } from "undici";
import { sendError, upstreamFailure } from "./errors.ts";
import { clientResponseHeaders } from "./headers.ts";

const kExchange = Symbol("gatehouse.exchange");
type WithExchange = ServerResponse & { [kExchange]?: ProxyExchange };

class ClientGoneError extends Error {
  override name = "ClientGoneError";
}

/**
 * One proxied request as an undici dispatch handler: streams the upstream response into the
 * raw Node response with backpressure (pause when `res.write` says so, resume on drain), and
 * aborts the upstream request when the client goes away. Listeners are shared functions that
 * find the exchange on the response, so no closures are made per request.
 */
export class ProxyExchange implements Dispatcher.DispatchHandler {
  readonly res: ServerResponse;
  readonly requestId: string;
  #controller: Dispatcher.DispatchController | null = null;
  #clientGone = false;

  constructor(req: IncomingMessage, res: ServerResponse, requestId: string) {
    this.res = res;
    this.requestId = requestId;
    (res as WithExchange)[kExchange] = this;
    res.on("close", onClientClose);
    res.on("drain", onClientDrain);
    req.on("error", ignoreRequestError);
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.#controller = controller;
    if (this.#clientGone) controller.abort(new ClientGoneError("client closed the connection"));
  }

  onResponseStart(
    _controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: IncomingHttpHeaders,
    statusMessage?: string,
  ): void {
    const res = this.res;
    const outgoing = clientResponseHeaders(headers, this.requestId);
    if (statusMessage) res.writeHead(statusCode, statusMessage, outgoing);
    else res.writeHead(statusCode, outgoing);
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (!this.res.write(chunk)) controller.pause();
  }

  onResponseEnd(): void {
    this.res.end();
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    if (this.#clientGone || error instanceof ClientGoneError) return;
    if (this.res.headersSent) {
      // Part of the response is out: the only honest signal left is a broken connection.
      this.res.destroy(error);
      return;
    }
    const failure = upstreamFailure(error);
    sendError(this.res, failure.code, failure.message, this.requestId);
  }

  clientClosed(): void {
    if (this.res.writableFinished) return;
    this.#clientGone = true;
    this.#controller?.abort(new ClientGoneError("client closed the connection"));
  }

  resume(): void {
    const controller = this.#controller;
    if (controller?.paused) controller.resume();
  }
}

function onClientClose(this: WithExchange): void {
  this[kExchange]?.clientClosed();
}

function onClientDrain(this: WithExchange): void {
  this[kExchange]?.resume();
}

/** An aborted upload also fails the upstream request; undici reports that through onResponseError. */
function ignoreRequestError(): void {}
