import type { z } from "zod";
import { headerValue, type PolicyContext, type PolicyDefinition, type PolicyServices, reject } from "../types.ts";
import { verifiedKeyDigest } from "./api-key.ts";
import { keyAuthSchema } from "./schema.ts";

type KeyAuthConfig = z.output<typeof keyAuthSchema.config>;

const CHALLENGE = 'Bearer realm="gatehouse"';
const INVALID_CHALLENGE = 'Bearer realm="gatehouse", error="invalid_token"';

export const keyAuth: PolicyDefinition<typeof keyAuthSchema.config> = {
  ...keyAuthSchema,
  create(config: KeyAuthConfig, services: PolicyServices) {
    const { credentials } = services;
    return {
      handle(ctx) {
        const presented = takeKey(ctx, config);
        if (presented === null) {
          return reject("key_missing", `This API needs an API key (the ${config.header} header)`, {
            "www-authenticate": CHALLENGE,
          });
        }
        const digest = verifiedKeyDigest(presented);
        const key = digest === null ? undefined : credentials.keyByDigest(digest);
        if (key === undefined) {
          return reject("key_invalid", "The API key is not valid", { "www-authenticate": INVALID_CHALLENGE });
        }
        if (key.revokedAt !== null && key.revokedAt <= ctx.now) {
          return reject("key_revoked", "The API key has been revoked", { "www-authenticate": INVALID_CHALLENGE });
        }
        if (key.expiresAt !== null && key.expiresAt <= ctx.now) {
          return reject("key_expired", "The API key has expired", { "www-authenticate": INVALID_CHALLENGE });
        }
        if (key.apiIds !== null && !key.apiIds.has(ctx.apiId)) {
          return reject("key_not_allowed", "The API key may not call this API");
        }
        const consumer = credentials.consumer(key.consumerId);
        if (consumer === undefined) return reject("key_invalid", "The API key is not valid");
        ctx.key = key;
        ctx.consumer = consumer;
        ctx.upstreamHeaders["x-consumer-id"] = consumer.id;
        ctx.upstreamHeaders["x-consumer-name"] = consumer.name;
        return undefined;
      },
    };
  },
};

/**
 * The key the request presents, first of the header, a bearer token and the query parameter.
 * Every place that carried one is a credential and is marked to be stripped before forwarding.
 */
function takeKey(ctx: PolicyContext, config: KeyAuthConfig): string | null {
  let key: string | undefined;
  const fromHeader = headerValue(ctx, config.header)?.trim();
  if (fromHeader) {
    key = fromHeader;
    ctx.stripHeaders.push(config.header);
  }
  if (config.acceptBearer) {
    const authorization = headerValue(ctx, "authorization");
    if (authorization !== undefined && /^bearer\s/i.test(authorization)) {
      key ??= authorization.slice(7).trim();
      ctx.stripHeaders.push("authorization");
    }
  }
  if (config.queryParam !== "" && ctx.query !== "") {
    const fromQuery = new URLSearchParams(ctx.query).get(config.queryParam);
    if (fromQuery) {
      key ??= fromQuery;
      ctx.stripQuery.push(config.queryParam);
    }
  }
  return key || null;
}
