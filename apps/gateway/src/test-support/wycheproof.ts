import { createPublicKey } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const FILE = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "../../test-vectors/wycheproof/json_web_signature_test.json",
);

export interface JwsVector {
  tcId: number;
  comment: string;
  jws: string;
  result: "valid" | "invalid" | "acceptable";
  flags: string[];
}

interface Jwk {
  kty: string;
  alg?: string;
  crv?: string;
  use?: string;
  key_ops?: string[];
  k?: string;
  [field: string]: unknown;
}

export interface JwsGroup {
  comment: string;
  public?: Jwk;
  private?: Jwk;
  tests: JwsVector[];
}

export function loadJwsVectors(): { numberOfTests: number; testGroups: JwsGroup[] } {
  return JSON.parse(readFileSync(FILE, "utf8"));
}

/** A way the jwt policy can hold a group's key: its config, or why this form cannot express the key. */
export interface KeyForm {
  form: "secret" | "pem" | "jwks";
  config: Record<string, unknown>;
  /** For the jwks form: the set to serve at the config's jwksUrl. */
  jwks?: { keys: Record<string, unknown>[] };
  notApplicable?: string;
}

const KEY_ALGORITHMS: Record<string, string[]> = {
  RSA: ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512"],
  "P-256": ["ES256"],
  "P-384": ["ES384"],
  "P-521": ["ES512"],
  Ed25519: ["EdDSA"],
};

/**
 * The group's key as the jwt policy takes it: an HS key as a base64 secret; a public key both as
 * PEM and as a JWKS served from `jwksUrl`. The policy accepts the algorithm the JWK names, or
 * every algorithm the key can check when the JWK names none the policy knows (RFC 7520's ES521).
 */
export function keyForms(group: JwsGroup, jwksUrl: string): KeyForm[] {
  const jwk = group.public ?? group.private;
  if (jwk === undefined) throw new Error(`group ${group.comment} has no key`);
  const open = { requireConsumer: false, clockSkewSeconds: 0 };
  if (jwk.kty === "oct") {
    return [
      {
        form: "secret",
        config: { ...open, algorithms: [jwk.alg ?? "HS256"], secret: jwk.k, secretEncoding: "base64" },
      },
    ];
  }
  const checkable = KEY_ALGORITHMS[jwk.kty === "RSA" ? "RSA" : (jwk.crv ?? "")] ?? [];
  const algorithms = jwk.alg !== undefined && checkable.includes(jwk.alg) ? [jwk.alg] : checkable;
  const { d, p, q, dp, dq, qi, ...publicJwk } = jwk;
  const pem = createPublicKey({ key: publicJwk, format: "jwk" }).export({ type: "spki", format: "pem" }).toString();
  const restricted =
    (jwk.use !== undefined && jwk.use !== "sig") || (jwk.key_ops !== undefined && !jwk.key_ops.includes("verify"));
  return [
    {
      form: "pem",
      config: { ...open, algorithms, publicKey: pem },
      ...(restricted ? { notApplicable: "a PEM key cannot say it is for encryption (JWK use/key_ops)" } : {}),
    },
    { form: "jwks", config: { ...open, algorithms, jwksUrl }, jwks: { keys: [publicJwk] } },
  ];
}

/**
 * Why a vector cannot be judged as a bearer token, or null. Two invalid vectors of the file
 * (invalidBase64Padding, invalidBase64PaddingInPayload) are the very text of a valid one: their
 * padding was lost when the vectors were converted, so no verifier can satisfy both.
 */
export function notApplicable(vector: JwsVector, group: JwsGroup): string | null {
  if (vector.jws.trimStart().startsWith("{")) return "JWS JSON serialization, not compact: no bearer token";
  const twin = group.tests.find((other) => other.result === "valid" && other.jws === vector.jws);
  if (vector.result === "invalid" && twin !== undefined) return `invalid, yet the same text as valid tcId ${twin.tcId}`;
  return null;
}
