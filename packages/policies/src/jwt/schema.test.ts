import { exportPKCS8, exportSPKI, generateKeyPair } from "jose";
import { expect, test } from "vitest";
import { redactConfig, writeOnlyFields } from "../redact.ts";
import { jwtSchema } from "./schema.ts";

const secret = "a-shared-secret-of-at-least-32-characters";
const rsa = await generateKeyPair("RS256", { extractable: true });
const rsaPem = await exportSPKI(rsa.publicKey);

/** Each failed field with its first message. */
function errorsOf(config: Record<string, unknown>): Record<string, string> {
  const result = jwtSchema.config.safeParse(config);
  const errors: Record<string, string> = {};
  for (const issue of result.error?.issues ?? []) errors[issue.path.join(".")] ??= issue.message;
  return errors;
}

test("the schema fills defaults and keeps the secret write-only", () => {
  const config = jwtSchema.config.parse({ jwksUrl: "https://id.example.com/.well-known/jwks.json" });
  expect(config).toEqual({
    algorithms: ["RS256"],
    secret: "",
    secretEncoding: "text",
    publicKey: "",
    jwksUrl: "https://id.example.com/.well-known/jwks.json",
    issuer: [],
    audience: [],
    clockSkewSeconds: 30,
    consumerClaim: "sub",
    requireConsumer: true,
    forwardClaims: {},
    header: "authorization",
    cookie: "",
    hideCredentials: false,
    jwksCooldownSeconds: 30,
    jwksMaxAgeSeconds: 600,
  });
  expect(writeOnlyFields(jwtSchema.config)).toEqual(["secret"]);
  const hs = jwtSchema.config.parse({ algorithms: ["HS256"], secret });
  expect(redactConfig(jwtSchema.config, hs)).not.toHaveProperty("secret");
});

test("algorithms are a non-empty list of signing algorithms, never none", () => {
  expect(errorsOf({ algorithms: [], secret })).toHaveProperty("algorithms");
  expect(errorsOf({ algorithms: ["none"], secret })).toHaveProperty("algorithms.0");
  expect(errorsOf({ algorithms: ["HS256"], secret: "short" })).toEqual({ secret: "Use at least 32 characters" });
});

test("a base64 secret must decode to at least 32 bytes", () => {
  const base64 = (bytes: number) => Buffer.alloc(bytes, 7).toString("base64url");
  expect(errorsOf({ algorithms: ["HS256"], secret: base64(32), secretEncoding: "base64" })).toEqual({});
  expect(errorsOf({ algorithms: ["HS256"], secret: `${base64(32)}==`, secretEncoding: "base64" })).toEqual({
    secret: "This is not base64 or base64url",
  });
  expect(errorsOf({ algorithms: ["HS256"], secret: `${base64(30)} x`, secretEncoding: "base64" })).toEqual({
    secret: "This is not base64 or base64url",
  });
  expect(errorsOf({ algorithms: ["HS256"], secret: base64(24), secretEncoding: "base64" })).toEqual({
    secret: "Use at least 32 bytes",
  });
});

test("HS algorithms and public keys never meet, so no token can pick the wrong kind of check", () => {
  expect(errorsOf({ algorithms: ["HS256", "RS256"], secret })).toEqual({
    algorithms: "Use HS algorithms or public-key algorithms, not both",
  });
  expect(errorsOf({ algorithms: ["HS256"], publicKey: rsaPem })).toEqual({
    secret: "HS256 needs a shared secret",
    publicKey: "HS algorithms check a shared secret, never a public key",
  });
  expect(errorsOf({ algorithms: ["RS256"], secret })).toEqual({
    secret: "RS256 needs a public key or JWKS URL, not a secret",
  });
  expect(errorsOf({ algorithms: ["RS256"] })).toEqual({ publicKey: "RS256 needs a public key or JWKS URL" });
  expect(errorsOf({ publicKey: rsaPem, jwksUrl: "https://id.example.com/jwks" })).toEqual({
    jwksUrl: "Set only one of secret, public key and JWKS URL",
  });
});

test("the public key is read well enough to catch a wrong paste or a wrong algorithm", async () => {
  expect(jwtSchema.config.safeParse({ algorithms: ["RS256", "PS512"], publicKey: rsaPem }).success).toBe(true);
  const ec = await generateKeyPair("ES384", { extractable: true });
  const ed = await generateKeyPair("EdDSA", { extractable: true });
  expect(jwtSchema.config.safeParse({ algorithms: ["ES384"], publicKey: await exportSPKI(ec.publicKey) }).success).toBe(
    true,
  );
  expect(jwtSchema.config.safeParse({ algorithms: ["EdDSA"], publicKey: await exportSPKI(ed.publicKey) }).success).toBe(
    true,
  );
  expect(errorsOf({ algorithms: ["ES256"], publicKey: await exportSPKI(ec.publicKey) })).toEqual({
    publicKey: "This is an EC P-384 key: it checks ES384, not ES256",
  });
  expect(errorsOf({ algorithms: ["ES256"], publicKey: rsaPem })).toEqual({
    publicKey: "This is an RSA key: it checks RS256, RS384, RS512, PS256, PS384, PS512, not ES256",
  });
  expect(errorsOf({ publicKey: await exportPKCS8(rsa.privateKey) })).toEqual({
    publicKey: "This is a private key: paste the public key only",
  });
  expect(errorsOf({ publicKey: "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----" })).toEqual({
    publicKey: "The key is not a valid SPKI public key",
  });
  expect(errorsOf({ publicKey: "ssh-rsa AAAA" })).toEqual({
    publicKey: "Paste a PEM public key (-----BEGIN PUBLIC KEY-----)",
  });
});

test("the other fields name themselves when wrong", () => {
  const base = { algorithms: ["HS256"], secret };
  expect(errorsOf({ algorithms: ["ES256"], jwksUrl: "ftp://id.example.com/jwks" })).toEqual({
    jwksUrl: "Use an http(s) URL",
  });
  expect(errorsOf({ ...base, clockSkewSeconds: 301 })).toHaveProperty("clockSkewSeconds");
  expect(errorsOf({ ...base, forwardClaims: { sub: "x-consumer-id" } })).toEqual({
    "forwardClaims.sub": "The gateway sets this header itself",
  });
  expect(errorsOf({ ...base, forwardClaims: { email: "bad header" } })).toHaveProperty("forwardClaims.email");
  expect(errorsOf({ ...base, cookie: "a;b" })).toHaveProperty("cookie");
  expect(errorsOf({ ...base, issuer: [""] })).toHaveProperty("issuer.0");
});
