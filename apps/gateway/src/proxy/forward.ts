import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from "node:http";
import type { Readable } from "node:stream";
import type { ResponseHook } from "@gatehouse/policies";
import type { ErrorCode } from "@gatehouse/shared";
import type { Dispatcher } from "undici";
import { sampleOf, type TrafficSample } from "../analytics/traffic-sample.ts";
import type { CompiledTarget, CompiledUpstream } from "../config/compile.ts";
import { BodyTooLargeError } from "../edge/body-limit.ts";
import { describeError } from "../health/active-checker.ts";
import { joinBasePath } from "../router/rewrite.ts";
import { ClientGoneError, SendTimeoutError, sendError, upstreamFailure } from "./errors.ts";
import { addPolicyHeaders, clientResponseHeaders } from "./headers.ts";
import { endUnanswered, HookedResponse } from "./hooked-response.ts";

const kExchange = Symbol("gatehouse.exchange");
type WithExchange = ServerResponse & { [kExchange]?: ProxyExchange };

/** Methods a retry may repeat once the request reached the upstream (RFC 9110 §9.2.2, minus TRACE). */
const IDEMPOTENT = new Set(["GET", "HEAD", "OPTIONS", "PUT", "DELETE"]);

/** Answers that count as a failure of the target for its breaker; other statuses are the API's business. */
function isTargetFailure(status: number): boolean {
  return status === 500 || status === 502 || status === 503 || status === 504;
}

/**
 * The upstream closed a keep-alive connection as this request went out on it: undici fails the
 * request with "other side closed" on a socket that had already carried a response. The target
 * is fine, so the request may go again to the same target, once, when it is safe to repeat.
 */
function isStaleConnection(error: Error): boolean {
  const socketError = error as { code?: string; socket?: { bytesRead?: number } };
  return socketError.code === "UND_ERR_SOCKET" && (socketError.socket?.bytesRead ?? 0) > 0;
}

/**
 * One proxied request as an undici dispatch handler, across its attempts. Streams the upstream
 * response into the raw Node response with backpressure (pause when `res.write` says so,
 * resume on drain) and aborts the upstream request when the client goes away. Each attempt
 * holds one in-flight slot on its target and reports its outcome to the target's breaker.
 * A failed attempt is retried on a different target while that is safe: nothing reached the
 * upstream yet, or an idempotent request without a body; never once the client got a byte.
 * A stale keep-alive connection is retried once on the same target under the same rule.
 * Listeners and timers call shared functions that find the exchange, so nothing per request
 * is a closure.
 */
export class ProxyExchange implements Dispatcher.DispatchHandler {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly requestId: string;
  readonly #upstream: CompiledUpstream;
  /** The forwarded path and query, before the target's own base path. */
  readonly #path: string;
  readonly #options: Dispatcher.DispatchOptions;
  readonly #hasBody: boolean;
  readonly #log: (line: string) => void;
  #target: CompiledTarget | null = null;
  #tried: CompiledTarget[] | null = null;
  #attempts = 0;
  #staleRetried = false;
  #controller: Dispatcher.DispatchController | null = null;
  /** The current attempt holds its target's in-flight slot. */
  #open = false;
  /** The current attempt began writing to the upstream (undici calls onRequestStart then). */
  #started = false;
  /** The current attempt is its target's half-open trial and has not reported an outcome yet. */
  #trial = false;
  #startedAt = 0;
  #sendTimer: NodeJS.Timeout | null = null;
  #sendBytes = 0;
  #clientGone = false;
  #drainListened = false;
  readonly #sample: TrafficSample | undefined;
  /**
   * Headers policies add to the answer (rate-limit counters, CORS). They go into the one
   * writeHead with the upstream's: setHeader on each would validate it again and send
   * writeHead down its slow merging path.
   */
  policyHeaders: Record<string, string> | null = null;
  /** What policies do to the answer (a rewrite, a cache copy); null for most requests. */
  responseHooks: readonly ResponseHook[] | null = null;
  #hooked: HookedResponse | null = null;

  constructor(
    req: IncomingMessage,
    res: ServerResponse,
    requestId: string,
    upstream: CompiledUpstream,
    path: string,
    headers: string[],
    body: Readable | Buffer | null,
    log: (line: string) => void,
  ) {
    this.req = req;
    this.res = res;
    this.requestId = requestId;
    this.#upstream = upstream;
    this.#path = path;
    this.#hasBody = body !== null;
    this.#log = log;
    this.#options = { path, method: req.method ?? "GET", headers, body };
    this.#sample = sampleOf(res);
    // With analytics on, the sample's close listener tells this exchange; the response points
    // back to the exchange only for a listener of its own (close here, drain later).
    if (this.#sample === undefined) {
      (res as WithExchange)[kExchange] = this;
      res.on("close", onClientClose);
    } else {
      this.#sample.exchange = this;
    }
    req.on("error", ignoreRequestError);
  }

  /** Sends the first attempt to `target`, which the caller picked. */
  forward(target: CompiledTarget): void {
    this.#upstream.state.budget.deposit();
    this.#attempts = 1;
    this.#attempt(target);
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.#controller = controller;
    this.#started = true;
    if (this.#clientGone) {
      controller.abort(new ClientGoneError("client closed the connection"));
      return;
    }
    if (this.#hasBody) {
      this.#sendBytes = this.req.socket?.bytesRead ?? 0;
      this.#sendTimer = setTimeout(checkSendProgress, this.#upstream.sendTimeoutMs, this);
    }
  }

  onResponseStart(
    _controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: IncomingHttpHeaders,
    statusMessage?: string,
  ): void {
    const health = (this.#target as CompiledTarget).health;
    const upstreamMs = performance.now() - this.#startedAt;
    if (isTargetFailure(statusCode)) health.failed(`HTTP ${statusCode}`, this.#trial);
    else health.succeeded(upstreamMs, this.#trial);
    if (this.#sample !== undefined) this.#sample.upstreamMs = upstreamMs;
    this.#trial = false;
    if (this.responseHooks !== null) {
      const hooked = new HookedResponse(this.responseHooks, statusCode, headers);
      this.#hooked = hooked;
      if (hooked.holding) return;
      const { status, headers: shaped } = hooked.response;
      this.#writeHead(status, shaped, status === statusCode ? statusMessage : undefined);
      return;
    }
    this.#writeHead(statusCode, headers, statusMessage);
  }

  #writeHead(statusCode: number, headers: IncomingHttpHeaders, statusMessage: string | undefined): void {
    const policyHeaders = this.policyHeaders;
    const outgoing = clientResponseHeaders(headers, this.requestId);
    if (policyHeaders !== null) addPolicyHeaders(outgoing, headers, policyHeaders);
    if (statusMessage) this.res.writeHead(statusCode, statusMessage, outgoing);
    else this.res.writeHead(statusCode, outgoing);
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    const hooked = this.#hooked;
    if (hooked !== null) {
      if (hooked.holding) {
        if (hooked.hold(chunk)) return;
        // Too large to transform: it goes as the upstream sent it.
        const { status, headers } = hooked.response;
        this.#writeHead(status, headers, undefined);
        for (const held of hooked.overflowed()) this.#send(controller, held);
        return;
      }
      hooked.sent(chunk);
    }
    this.#send(controller, chunk);
  }

  #send(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.#sample !== undefined) this.#sample.bytesOut += chunk.length;
    if (this.res.write(chunk)) return;
    if (controller.paused) return;
    controller.pause();
    // Listened for from the first time the client falls behind: most responses never do.
    if (!this.#drainListened) {
      this.#drainListened = true;
      (this.res as WithExchange)[kExchange] = this;
      this.res.on("drain", onClientDrain);
    }
  }

  onResponseEnd(): void {
    this.#settle();
    const hooked = this.#hooked;
    if (hooked === null) {
      this.res.end();
      return;
    }
    if (hooked.holding) {
      let body: Buffer;
      try {
        body = hooked.transformed();
      } catch (error) {
        hooked.end(false);
        this.#log(`proxy: ${this.requestId} response transform failed: ${(error as Error).message}`);
        this.#sendError("internal_error", "A policy failed on the upstream's answer");
        return;
      }
      const { status, headers } = hooked.response;
      this.#writeHead(status, headers, undefined);
      if (this.#sample !== undefined) this.#sample.bytesOut += body.length;
      hooked.sent(body);
      hooked.end(true);
      this.res.end(body);
      return;
    }
    // Before the client has the last byte: a copy kept in a shared store is on its way there
    // before the client can ask another gateway for it.
    hooked.end(true);
    this.res.end();
  }

  onResponseError(_controller: Dispatcher.DispatchController | null, error: Error): void {
    const target = this.#target as CompiledTarget;
    if (this.#hooked !== null) this.#hooked.end(false);
    else if (this.responseHooks !== null) endUnanswered(this.responseHooks);
    this.#hooked = null;
    if (this.#clientGone || error instanceof ClientGoneError) {
      this.#settle();
      return;
    }
    if (error instanceof BodyTooLargeError) {
      this.#settle();
      this.res.shouldKeepAlive = false;
      this.#sendError("payload_too_large", error.message);
      return;
    }
    if (!this.res.headersSent && this.#safeToRepeat() && !this.#staleRetried && isStaleConnection(error)) {
      this.#staleRetried = true;
      this.#settle();
      this.#attempt(target);
      return;
    }
    // A client that stalls its own upload is not the target's fault.
    if (!(error instanceof SendTimeoutError && error.clientSide)) {
      target.health.failed(describeError(error), this.#trial);
      this.#trial = false;
    }
    this.#settle();
    if (this.res.headersSent) {
      // Part of the response is out: the only honest signal left is a broken connection.
      this.#logFailure(target, "response cut off", error);
      this.res.destroy(error);
      return;
    }
    const next = this.#retryTarget(error);
    if (next !== null) {
      this.#attempt(next);
      return;
    }
    if (error instanceof SendTimeoutError && error.clientSide) this.res.shouldKeepAlive = false;
    const failure = upstreamFailure(error);
    this.#logFailure(target, failure.code, error);
    this.#sendError(failure.code, failure.message);
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

  /** Runs on the send timer: aborts an upload that moved no byte for `sendTimeoutMs`. */
  checkSendProgress(): void {
    const req = this.req;
    if (!this.#open || req.readableEnded) return;
    const bytes = req.socket?.bytesRead ?? this.#sendBytes;
    if (bytes !== this.#sendBytes) {
      this.#sendBytes = bytes;
      this.#sendTimer?.refresh();
      return;
    }
    // Unread bytes, or undici paused the body: the upstream is not taking it. Else the client is not sending.
    const clientSide = req.readableLength === 0 && !req.isPaused();
    this.#controller?.abort(new SendTimeoutError(this.#upstream.sendTimeoutMs, clientSide));
  }

  #attempt(target: CompiledTarget): void {
    this.#target = target;
    this.#controller = null;
    this.#started = false;
    this.#trial = target.health.admit();
    if (this.#sample !== undefined) this.#sample.target = target.url;
    this.#open = true;
    this.#startedAt = performance.now();
    this.#options.path = joinBasePath(target.basePath, this.#path);
    try {
      target.pool.dispatch(this.#options, this);
    } catch (error) {
      this.onResponseError(null, error as Error);
    }
  }

  /** A gateway answer in place of the upstream's, with the headers policies added. */
  #sendError(code: ErrorCode, message: string): void {
    const policyHeaders = this.policyHeaders;
    if (policyHeaders !== null && !this.res.headersSent) {
      for (const name in policyHeaders) this.res.setHeader(name, policyHeaders[name] as string);
    }
    sendError(this.res, code, message, this.requestId);
  }

  /** Ends the current attempt's hold on its target, once. */
  #settle(): void {
    if (!this.#open) return;
    this.#open = false;
    if (this.#sendTimer !== null) {
      clearTimeout(this.#sendTimer);
      this.#sendTimer = null;
    }
    (this.#target as CompiledTarget).health.release(this.#trial);
    this.#trial = false;
  }

  /** Another target to try after `error`, if a retry is safe, allowed and within the budget. */
  #retryTarget(error: Error): CompiledTarget | null {
    if (this.#attempts > this.#upstream.retries || error instanceof SendTimeoutError) return null;
    if (this.#started && !this.#safeToRepeat()) return null;
    this.#tried ??= [];
    this.#tried.push(this.#target as CompiledTarget);
    const next = this.#upstream.balancer.pick(this.req, this.#tried);
    if (next === null) return null;
    const state = this.#upstream.state;
    if (!state.budget.withdraw()) {
      state.retriesDenied++;
      return null;
    }
    state.retries++;
    this.#attempts++;
    return next;
  }

  /** The request may reach an upstream twice: idempotent and without a body to replay. */
  #safeToRepeat(): boolean {
    return !this.#hasBody && IDEMPOTENT.has(this.#options.method);
  }

  /** One line per failed request; the query is left out, as it may carry credentials. */
  #logFailure(target: CompiledTarget, outcome: string, error: Error): void {
    const { method, path } = this.#options;
    const q = path.indexOf("?");
    const shown = q === -1 ? path : path.slice(0, q);
    this.#log(`proxy: ${this.requestId} ${method} ${shown} via ${target.url}: ${outcome} (${describeError(error)})`);
  }
}

function onClientClose(this: WithExchange): void {
  this[kExchange]?.clientClosed();
}

function onClientDrain(this: WithExchange): void {
  this[kExchange]?.resume();
}

function checkSendProgress(exchange: ProxyExchange): void {
  exchange.checkSendProgress();
}

/** An aborted upload also fails the upstream request; undici reports that through onResponseError. */
function ignoreRequestError(): void {}
