import { applyResponseHeaders, type HeaderRules } from "../transform/header-rules.ts";
import { isJsonMediaType, isUnencoded } from "../transform/json-media.ts";
import { applyJsonRules, type JsonRules } from "../transform/json-rules.ts";
import type { TemplateScope } from "../transform/template.ts";
import type { PolicyContext, ResponseHook, UpstreamResponse } from "../types.ts";

/** What a response-transformer does, prepared once per policy. */
export interface AnswerRules {
  headers: HeaderRules | null;
  body: JsonRules | null;
  maxBytes: number;
}

/**
 * One answer's rewrite. The body is held only for a JSON answer (decided on its headers, again
 * for a retry's answer): any other answer streams.
 */
export class AnswerRewrite implements ResponseHook {
  readonly #rules: AnswerRules;
  readonly #ctx: PolicyContext;
  readonly #scope: TemplateScope;
  readonly bodyLimit: number;
  transformBody: ((body: Buffer, response: UpstreamResponse) => Buffer) | undefined;

  constructor(rules: AnswerRules, ctx: PolicyContext, scope: TemplateScope) {
    this.#rules = rules;
    this.#ctx = ctx;
    this.#scope = scope;
    this.bodyLimit = rules.maxBytes;
  }

  onHeaders(response: UpstreamResponse): void {
    const { headers, body } = this.#rules;
    const json =
      body !== null &&
      isJsonMediaType(response.headers["content-type"]) &&
      isUnencoded(response.headers["content-encoding"]);
    // Decided before the header rules run: the answer's body is what the upstream labelled it.
    this.transformBody = json ? (raw, answer) => this.#rewrite(body, raw, answer) : undefined;
    if (headers !== null) applyResponseHeaders(headers, response.headers, this.#ctx.responseHeaders, this.#scope);
  }

  #rewrite(rules: JsonRules, raw: Buffer, response: UpstreamResponse): Buffer {
    let body: unknown;
    try {
      body = JSON.parse(raw.toString("utf8"));
    } catch {
      return raw;
    }
    if (!applyJsonRules(rules, body, this.#scope)) return raw;
    // They described the upstream's bytes, which the client no longer gets.
    delete response.headers.etag;
    delete response.headers["content-md5"];
    return Buffer.from(JSON.stringify(body));
  }
}
