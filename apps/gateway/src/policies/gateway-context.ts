import type { IncomingMessage } from "node:http";
import type {
  ConsumerIdentity,
  KeyIdentity,
  PolicyContext,
  RequestTrace,
  ResponseHook,
  UpstreamRequest,
} from "@gatehouse/policies";
import { clientAddress } from "../proxy/headers.ts";
import { RequestBody } from "../proxy/request-body.ts";

/** What the proxy handler knows of a matched request when it runs the chain. */
export interface MatchedRequest {
  path: string;
  /** With its leading `?`, or "". */
  query: string;
  apiId: string;
  routeId: string;
  requestId: string;
  /** The path to forward, after the route's strip or rewrite. */
  forwardPath: string;
  paramNames: readonly string[];
  paramValues: readonly string[];
  maxBodyBytes: number;
}

const NO_PARAMS: Readonly<Record<string, string>> = Object.freeze({});

/**
 * The request as policies see it, built only for routes that have policies. A class, so every
 * request's context has one shape and `readBody` is one method rather than a closure per
 * request; the body reader is made only for a policy that asks for the body.
 */
export class GatewayPolicyContext implements PolicyContext {
  readonly method: string;
  readonly path: string;
  readonly query: string;
  readonly headers: IncomingMessage["headers"];
  readonly remoteAddress: string;
  readonly apiId: string;
  readonly routeId: string;
  readonly now = Date.now();
  consumer: ConsumerIdentity | null = null;
  key: KeyIdentity | null = null;
  claims: Readonly<Record<string, unknown>> | null = null;
  readonly upstreamHeaders: Record<string, string> = {};
  readonly stripHeaders: string[] = [];
  readonly stripQuery: string[] = [];
  readonly responseHeaders: Record<string, string> = {};
  maxBodyBytes: number;
  readonly requestId: string;
  readonly params: Readonly<Record<string, string>>;
  readonly upstream: UpstreamRequest;
  readonly responseHooks: ResponseHook[] = [];
  trace: RequestTrace | null = null;
  /** Set once a policy asked for the body: what was read then goes upstream through it. */
  requestBody: RequestBody | null = null;
  readonly #req: IncomingMessage;

  constructor(req: IncomingMessage, matched: MatchedRequest) {
    this.#req = req;
    this.method = req.method ?? "GET";
    this.path = matched.path;
    this.query = matched.query === "" ? "" : matched.query.slice(1);
    this.headers = req.headers;
    this.remoteAddress = clientAddress(req);
    this.apiId = matched.apiId;
    this.routeId = matched.routeId;
    this.maxBodyBytes = matched.maxBodyBytes;
    this.requestId = matched.requestId;
    this.params = paramsOf(matched.paramNames, matched.paramValues);
    this.upstream = { path: matched.forwardPath, query: this.query, host: null, upstreamId: null, body: null };
  }

  readBody(limit: number): Promise<Buffer | null> {
    this.requestBody ??= new RequestBody(this.#req);
    return this.requestBody.read(limit);
  }
}

function paramsOf(names: readonly string[], values: readonly string[]): Readonly<Record<string, string>> {
  if (names.length === 0) return NO_PARAMS;
  const params: Record<string, string> = {};
  for (let i = 0; i < names.length; i++) params[names[i] as string] = values[i] ?? "";
  return params;
}
