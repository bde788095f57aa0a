import { declaresBody } from "@gatehouse/shared";
import { isJsonMediaType, isUnencoded } from "../transform/json-media.ts";
import { applyJsonRules, type JsonRules } from "../transform/json-rules.ts";
import type { TemplateScope } from "../transform/template.ts";
import { headerValue, type PolicyContext, reject, type Verdict } from "../types.ts";

export interface BodyRewrite {
  rules: JsonRules;
  maxBytes: number;
  /** Refuse a larger or non-JSON body instead of sending it untouched. */
  refuse: boolean;
}

/**
 * Rewrites the fields of a JSON request body; the body is read only for a JSON content type.
 * A body too large or not JSON is sent untouched, or refused when `refuse` says so.
 */
export function rewriteJsonBody(
  rewrite: BodyRewrite,
  ctx: PolicyContext,
  scope: TemplateScope,
): Verdict | Promise<Verdict> {
  if (!declaresBody(ctx.headers)) return undefined;
  const { rules, maxBytes, refuse } = rewrite;
  if (!isJsonMediaType(ctx.headers["content-type"]) || !isUnencoded(ctx.headers["content-encoding"])) {
    return refuse ? reject("bad_request", "The request body is not JSON") : undefined;
  }
  // A body over the request's own limit (request-size-limit) is refused by the gateway anyway: no need to hold more of it.
  const limit = ctx.maxBodyBytes > 0 && ctx.maxBodyBytes < maxBytes ? ctx.maxBodyBytes : maxBytes;
  const tooLarge = () =>
    refuse ? reject("payload_too_large", `A JSON body to rewrite is at most ${limit} bytes`) : undefined;
  // A declared length over the limit is known without reading a byte.
  if (Number(headerValue(ctx, "content-length")) > limit) return tooLarge();
  return ctx.readBody(limit).then((bytes) => {
    if (bytes === null) return tooLarge();
    let body: unknown;
    try {
      body = JSON.parse(bytes.toString("utf8"));
    } catch {
      return refuse ? reject("bad_request", "The request body is not valid JSON") : undefined;
    }
    if (applyJsonRules(rules, body, scope)) ctx.upstream.body = Buffer.from(JSON.stringify(body));
    return undefined;
  });
}
