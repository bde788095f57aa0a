import { HTTP_TOKEN_OR_EMPTY, headerName, shownWhen } from "@gatehouse/shared";
import { z } from "zod";
import type { PolicySchema } from "../types.ts";
import { ASYMMETRIC_ALGORITHMS, publicKeyKind } from "./pem.ts";
import { MIN_SECRET_BYTES, SECRET_ENCODINGS, secretBytes } from "./secret.ts";

export const HMAC_ALGORITHMS = ["HS256", "HS384", "HS512"] as const;
/** "none" is deliberately absent: an unsigned token proves nothing. */
export const ALGORITHMS = [...HMAC_ALGORITHMS, ...ASYMMETRIC_ALGORITHMS] as const;
export type Algorithm = (typeof ALGORITHMS)[number];

export const isHmac = (algorithm: Algorithm) => (HMAC_ALGORITHMS as readonly string[]).includes(algorithm);

const headerNameField = headerName({ trim: true });

/** Headers the gateway itself sets or frames the request with: a token claim must not replace them. */
const RESERVED_HEADERS = new Set([
  "x-consumer-id",
  "x-consumer-name",
  "x-forwarded-for",
  "x-forwarded-proto",
  "x-forwarded-host",
  "x-request-id",
  "host",
  "connection",
  "content-length",
  "transfer-encoding",
]);

const isHttpUrl = (text: string) => {
  try {
    return ["http:", "https:"].includes(new URL(text).protocol);
  } catch {
    return false;
  }
};

const claimList = z.array(z.string().trim().min(1)).default([]);

export const jwtSchema = {
  type: "jwt",
  title: "JWT auth",
  description: "Requires a signed JSON Web Token (e.g. from an identity provider); a claim names the consumer.",
  phase: "auth",
  scopes: ["global", "api", "route"],
  config: z
    .strictObject({
      algorithms: z.array(z.enum(ALGORITHMS)).min(1, "Allow at least one algorithm").default(["RS256"]).meta({
        title: "Algorithms",
        description: "The signing algorithms accepted; a token signed any other way is refused.",
      }),
      secret: z
        .string()
        .refine((value) => value === "" || value.length >= 32, "Use at least 32 characters")
        .default("")
        .meta({
          title: "Shared secret",
          description: "For HS algorithms: the secret tokens are signed with, as UTF-8 text.",
          writeOnly: true,
        }),
      secretEncoding: z.enum(SECRET_ENCODINGS).default("text").meta({
        title: "Secret encoding",
        description:
          "text: the secret's UTF-8 bytes are the key. base64: a binary key in base64 or base64url (a JWK's k).",
      }),
      publicKey: z.string().trim().default("").meta({
        title: "Public key",
        description: "For RS, PS, ES and EdDSA: the issuer's public key in PEM (-----BEGIN PUBLIC KEY-----).",
      }),
      jwksUrl: z
        .string()
        .trim()
        .refine((value) => value === "" || isHttpUrl(value), "Use an http(s) URL")
        .default("")
        .meta({
          title: "JWKS URL",
          description: "For RS, PS, ES and EdDSA: where the issuer publishes its keys (JSON Web Key Set).",
        }),
      issuer: claimList.meta({
        title: "Issuers",
        description: "Accepted values of the iss claim; empty accepts any.",
      }),
      audience: claimList.meta({
        title: "Audiences",
        description: "The token's aud claim must name one of these; empty accepts any.",
      }),
      clockSkewSeconds: z.int().min(0).max(300).default(30).meta({
        title: "Clock skew (seconds)",
        description: "How far exp and nbf may be off, for clocks that disagree.",
      }),
      consumerClaim: z.string().trim().min(1).default("sub").meta({
        title: "Consumer claim",
        description: "The claim naming the consumer: matched against consumer ids, then names.",
      }),
      requireConsumer: z.boolean().default(true).meta({
        title: "Require a known consumer",
        description: "Refuse a valid token whose claim names no consumer; off lets it through anonymously.",
      }),
      forwardClaims: z
        .record(
          z.string().trim().min(1),
          headerNameField.refine((name) => !RESERVED_HEADERS.has(name), "The gateway sets this header itself"),
        )
        .default({})
        .meta({
          title: "Forward claims",
          description:
            'Claims sent upstream as headers, e.g. {"email": "x-user-email"}; objects as JSON, non-ASCII percent-encoded.',
        }),
      header: headerNameField.default("authorization").meta({
        title: "Header",
        description: "The request header that carries the token (as Bearer <token>).",
      }),
      cookie: z
        .string()
        .trim()
        .regex(HTTP_TOKEN_OR_EMPTY, "Not a valid cookie name")
        .default("")
        .meta({ title: "Cookie", description: "Also take the token from this cookie; empty turns it off." }),
      hideCredentials: z.boolean().default(false).meta({
        title: "Hide the token from the upstream",
        description: "Remove the token's header or cookie from the upstream request.",
      }),
      jwksCooldownSeconds: z.int().min(0).max(3600).default(30).meta({
        title: "JWKS refetch cooldown (seconds)",
        description: "The least time between two JWKS fetches, however many tokens name unknown keys.",
      }),
      jwksMaxAgeSeconds: z.int().min(60).max(86_400).default(600).meta({
        title: "JWKS cache age (seconds)",
        description: "How long fetched keys are used before the set is fetched again.",
      }),
    })
    .superRefine((config, ctx) => {
      const issue = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
      const hmac = config.algorithms.filter(isHmac);
      const asymmetric = config.algorithms.filter((algorithm) => !isHmac(algorithm));
      // One policy checking both kinds invites algorithm confusion: an HS token "signed" with the public key.
      if (hmac.length > 0 && asymmetric.length > 0) {
        issue("algorithms", "Use HS algorithms or public-key algorithms, not both");
        return;
      }
      const sources = (["secret", "publicKey", "jwksUrl"] as const).filter((field) => config[field] !== "");
      if (sources.length > 1) {
        issue(sources[1] as string, "Set only one of secret, public key and JWKS URL");
        return;
      }
      if (hmac.length > 0) {
        if (config.secret === "") issue("secret", `${hmac.join(", ")} needs a shared secret`);
        else if (config.secretEncoding === "base64") {
          const bytes = secretBytes(config.secret, "base64");
          if (bytes === null) issue("secret", "This is not base64 or base64url");
          else if (bytes.length < MIN_SECRET_BYTES) issue("secret", `Use at least ${MIN_SECRET_BYTES} bytes`);
        }
        for (const field of sources.filter((field) => field !== "secret")) {
          issue(field, "HS algorithms check a shared secret, never a public key");
        }
        return;
      }
      if (config.secret !== "")
        issue("secret", `${asymmetric.join(", ")} needs a public key or JWKS URL, not a secret`);
      else if (sources.length === 0) issue("publicKey", `${asymmetric.join(", ")} needs a public key or JWKS URL`);
      if (config.publicKey === "") return;
      const kind = publicKeyKind(config.publicKey);
      if (typeof kind === "string") {
        issue("publicKey", kind);
        return;
      }
      const unusable = asymmetric.filter((algorithm) => !(kind.algorithms as readonly string[]).includes(algorithm));
      if (unusable.length > 0) {
        issue(
          "publicKey",
          `This is ${kind.label}: it checks ${kind.algorithms.join(", ")}, not ${unusable.join(", ")}`,
        );
      }
    }),
} as const satisfies PolicySchema;

shownWhen(jwtSchema.config, { algorithms: HMAC_ALGORITHMS }, ["secret"]);
shownWhen(jwtSchema.config, { algorithms: ASYMMETRIC_ALGORITHMS }, [
  "publicKey",
  "jwksUrl",
  "jwksCooldownSeconds",
  "jwksMaxAgeSeconds",
]);
