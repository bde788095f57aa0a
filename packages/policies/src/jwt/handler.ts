import { createPublicKey, type KeyObject } from "node:crypto";
import { decodeProtectedHeader, errors, type JWTPayload, type JWTVerifyGetKey, jwtVerify } from "jose";
import type { z } from "zod";
import {
  headerValue,
  type PolicyContext,
  type PolicyDefinition,
  type PolicyServices,
  type Rejection,
  reject,
  type Verdict,
} from "../types.ts";
import { isCanonicalCompact } from "./compact.ts";
import { JwksUnavailableError, RemoteKeySet } from "./jwks.ts";
import { ALGORITHMS, jwtSchema } from "./schema.ts";
import { secretBytes } from "./secret.ts";

type JwtConfig = z.output<typeof jwtSchema.config>;

const CHALLENGE = 'Bearer realm="gatehouse"';
const INVALID_CHALLENGE = 'Bearer realm="gatehouse", error="invalid_token"';
export const NOT_A_CLAIMS_SET = "The token's payload is not a claims set (a JSON object)";

export const jwt: PolicyDefinition<typeof jwtSchema.config> = {
  ...jwtSchema,
  create(config: JwtConfig, services: PolicyServices, policyId: string) {
    const key = verificationKey(config, services, policyId);
    if (typeof key === "string") return { handle: () => reject("gateway_unavailable", key) };
    const options = {
      algorithms: [...config.algorithms],
      clockTolerance: config.clockSkewSeconds,
      ...(config.issuer.length > 0 ? { issuer: config.issuer } : {}),
      ...(config.audience.length > 0 ? { audience: config.audience } : {}),
    };
    const verify = async (ctx: PolicyContext, found: FoundToken): Promise<Verdict> => {
      if (!isCanonicalCompact(found.token)) return malformed();
      let payload: JWTPayload;
      try {
        const resolved = typeof key === "function" ? key(ctx.now) : key;
        ({ payload } = await jwtVerify(found.token, resolved, { ...options, currentDate: new Date(ctx.now) }));
      } catch (error) {
        return refusal(error, found.token, services, policyId);
      }
      return admit(ctx, config, services, payload, found.from);
    };
    return {
      // Synchronous until there is a token to verify: a missing one costs no microtask.
      handle(ctx) {
        const found = findToken(ctx, config);
        if (found === null) {
          const where = config.cookie === "" ? `the ${config.header} header` : `the ${config.header} header or cookie`;
          return reject("token_missing", `This API needs a token (${where})`, { "www-authenticate": CHALLENGE });
        }
        return verify(ctx, found);
      },
    };
  },
};

/**
 * The key every token is checked against, a resolver over the JWKS, or (a string) why none
 * can be had: an unreadable key refuses requests rather than failing the whole revision.
 */
function verificationKey(
  config: JwtConfig,
  services: PolicyServices,
  policyId: string,
): Uint8Array | KeyObject | ((now: number) => JWTVerifyGetKey) | string {
  if (config.secret !== "") {
    return (
      secretBytes(config.secret, config.secretEncoding) ??
      "This API cannot check tokens: its JWT policy's secret is not base64"
    );
  }
  if (config.publicKey !== "") {
    try {
      return createPublicKey(config.publicKey);
    } catch (error) {
      services.log(`jwt ${policyId}: the public key cannot be read: ${(error as Error).message}`);
      return "This API cannot check tokens: its JWT policy's public key is unusable";
    }
  }
  // Keyed by URL so a changed URL starts afresh while an unchanged one survives the reload.
  const sets = services.state(policyId, () => new Map<string, RemoteKeySet>());
  // Only the log function: the set outlives this revision and must not pin its credentials.
  const { log } = services;
  for (const url of sets.keys()) if (url !== config.jwksUrl) sets.delete(url);
  let set = sets.get(config.jwksUrl);
  if (set === undefined) {
    set = new RemoteKeySet(config.jwksUrl, (line) => log(`jwt ${policyId}: ${line}`));
    sets.set(config.jwksUrl, set);
  }
  const keySet = set;
  const timing = { cooldownMs: config.jwksCooldownSeconds * 1000, maxAgeMs: config.jwksMaxAgeSeconds * 1000 };
  return (now) => (header, token) => keySet.getKey(header, token, now, timing);
}

interface FoundToken {
  token: string;
  from: "header" | "cookie";
}

function findToken(ctx: PolicyContext, config: JwtConfig): FoundToken | null {
  const value = headerValue(ctx, config.header)?.trim();
  if (value) {
    const bearer = /^bearer\s+(\S+)$/i.exec(value)?.[1];
    // Authorization also carries other schemes (Basic); a custom header may hold the bare token.
    const token = bearer ?? (config.header === "authorization" ? undefined : value);
    if (token) return { token, from: "header" };
  }
  if (config.cookie === "") return null;
  const token = cookies(headerValue(ctx, "cookie")).find(([name]) => name === config.cookie)?.[1];
  return token ? { token, from: "cookie" } : null;
}

function cookies(header: string | undefined): [string, string][] {
  if (header === undefined) return [];
  return header.split(";").flatMap((pair) => {
    const cut = pair.indexOf("=");
    return cut < 0 ? [] : [[pair.slice(0, cut).trim(), pair.slice(cut + 1).trim()] as [string, string]];
  });
}

function refusal(error: unknown, token: string, services: PolicyServices, policyId: string): Rejection {
  const invalid = (message: string) => reject("token_invalid", message, { "www-authenticate": INVALID_CHALLENGE });
  if (error instanceof errors.JWTExpired) {
    return reject("token_expired", "The token has expired", { "www-authenticate": INVALID_CHALLENGE });
  }
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.reason === "missing") return invalid(`The token has no "${error.claim}" claim`);
    if (error.claim === "nbf") return invalid("The token is not valid yet (nbf)");
    if (error.claim === "iss") return invalid("The token's issuer (iss) is not accepted");
    if (error.claim === "aud") return invalid("The token's audience (aud) is not accepted");
    return invalid(`The token's "${error.claim}" claim is invalid`);
  }
  if (error instanceof errors.JOSEAlgNotAllowed) return invalid(algorithmRefusal(token));
  if (error instanceof errors.JWSSignatureVerificationFailed) return invalid("The token's signature is not valid");
  if (error instanceof errors.JWKSNoMatchingKey) return invalid("No known signing key matches the token's kid");
  if (error instanceof errors.JWKSMultipleMatchingKeys) {
    return invalid("Several signing keys match the token: it needs a kid");
  }
  // jose throws JWTInvalid only once the signature has verified: a JWS, but its payload is no claims set.
  if (error instanceof errors.JWTInvalid) return invalid(NOT_A_CLAIMS_SET);
  if (error instanceof errors.JWSInvalid) return malformed();
  // An unknown `crit` extension or b64:false: the token is fine by its issuer, but not checkable here.
  if (error instanceof errors.JOSENotSupported) return invalid("The token uses a feature this API does not support");
  if (error instanceof JwksUnavailableError) {
    return reject("gateway_unavailable", "The signing keys for this API cannot be fetched; try again later");
  }
  // A key jose refuses for the token's algorithm, or a bug: the client cannot fix either.
  services.log(`jwt ${policyId}: verification failed: ${error instanceof Error ? error.message : error}`);
  return invalid("The token cannot be verified");
}

function malformed(): Rejection {
  return reject("token_invalid", "The token is malformed", { "www-authenticate": INVALID_CHALLENGE });
}

/** Names the token's alg only when it is one we know, never echoing arbitrary client text. */
function algorithmRefusal(token: string): string {
  try {
    const { alg } = decodeProtectedHeader(token);
    if (alg === "none") return "The token is unsigned (alg none), which is never accepted";
    if ((ALGORITHMS as readonly unknown[]).includes(alg))
      return `The token is signed with ${alg}, which this API does not accept`;
  } catch {
    // A header that does not decode names no algorithm worth repeating.
  }
  return "The token is signed with an algorithm this API does not accept";
}

function admit(
  ctx: PolicyContext,
  config: JwtConfig,
  services: PolicyServices,
  payload: JWTPayload,
  from: FoundToken["from"],
): Verdict {
  const claim = config.consumerClaim;
  const value = claimOf(payload, claim);
  const name = typeof value === "string" && value !== "" ? value : undefined;
  const { credentials } = services;
  ctx.claims = payload;
  const consumer = name === undefined ? undefined : (credentials.consumer(name) ?? credentials.consumerByName(name));
  if (consumer !== undefined) {
    ctx.consumer = consumer;
    ctx.upstreamHeaders["x-consumer-id"] = consumer.id;
    ctx.upstreamHeaders["x-consumer-name"] = consumer.name;
  } else if (config.requireConsumer) {
    return reject(
      "token_invalid",
      name === undefined
        ? `The token has no "${claim}" claim naming a consumer`
        : `The token's "${claim}" claim names no known consumer`,
      { "www-authenticate": INVALID_CHALLENGE },
    );
  } else {
    // The upstream trusts these headers: a client must not supply them itself.
    ctx.stripHeaders.push("x-consumer-id", "x-consumer-name");
  }
  for (const [source, header] of Object.entries(config.forwardClaims)) {
    const text = headerText(claimOf(payload, source));
    if (text === undefined) ctx.stripHeaders.push(header);
    else ctx.upstreamHeaders[header] = text;
  }
  if (config.hideCredentials) hideToken(ctx, config, from);
  return undefined;
}

/** Own claims only: a claim named "constructor" must not reach the prototype. */
function claimOf(payload: JWTPayload, name: string): unknown {
  return Object.hasOwn(payload, name) ? payload[name] : undefined;
}

function headerText(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  const text = ["string", "number", "boolean"].includes(typeof value) ? String(value) : JSON.stringify(value);
  // Node refuses control characters in headers and sends the rest as Latin-1, mangling UTF-8.
  return /^[\x20-\x7e]*$/.test(text) ? text : encodeURIComponent(text);
}

function hideToken(ctx: PolicyContext, config: JwtConfig, from: FoundToken["from"]): void {
  if (from === "header") {
    ctx.stripHeaders.push(config.header);
    return;
  }
  // The Cookie header carries the upstream's own cookies too: drop only ours.
  const rest = cookies(headerValue(ctx, "cookie")).filter(([name]) => name !== config.cookie);
  if (rest.length === 0) ctx.stripHeaders.push("cookie");
  else ctx.upstreamHeaders.cookie = rest.map(([name, value]) => `${name}=${value}`).join("; ");
}
