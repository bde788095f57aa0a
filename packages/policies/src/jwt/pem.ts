/**
 * Reads which algorithms a PEM public key can verify from its DER header, without node:crypto,
 * so the console can refuse an RSA key for ES256 before the gateway ever sees the config.
 */

export const ASYMMETRIC_ALGORITHMS = [
  "RS256",
  "RS384",
  "RS512",
  "PS256",
  "PS384",
  "PS512",
  "ES256",
  "ES384",
  "ES512",
  "EdDSA",
] as const;
export type AsymmetricAlgorithm = (typeof ASYMMETRIC_ALGORITHMS)[number];

export interface PublicKeyKind {
  label: string;
  algorithms: readonly AsymmetricAlgorithm[];
}

const RSA: PublicKeyKind = { label: "an RSA key", algorithms: ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512"] };

/** Object identifiers as DER content bytes, hex. */
const KEY_TYPES: Record<string, PublicKeyKind | "ec"> = {
  "2a864886f70d010101": RSA,
  "2a864886f70d01010a": { label: "an RSA-PSS key", algorithms: ["PS256", "PS384", "PS512"] },
  "2a8648ce3d0201": "ec",
  "2b6570": { label: "an Ed25519 key", algorithms: ["EdDSA"] },
};
const CURVES: Record<string, PublicKeyKind> = {
  "2a8648ce3d030107": { label: "an EC P-256 key", algorithms: ["ES256"] },
  "2b81040022": { label: "an EC P-384 key", algorithms: ["ES384"] },
  "2b81040023": { label: "an EC P-521 key", algorithms: ["ES512"] },
};

const PEM = /^-----BEGIN PUBLIC KEY-----([A-Za-z0-9+/=\s]+)-----END PUBLIC KEY-----$/;

/** The key's kind, or why the text is not a usable SPKI public key. */
export function publicKeyKind(pem: string): PublicKeyKind | string {
  const text = pem.trim();
  if (/PRIVATE KEY-----/.test(text)) return "This is a private key: paste the public key only";
  if (/BEGIN CERTIFICATE-----/.test(text)) return "This is a certificate: paste its public key (BEGIN PUBLIC KEY)";
  if (/BEGIN RSA PUBLIC KEY-----/.test(text)) return "Use the SPKI form (BEGIN PUBLIC KEY), not PKCS#1";
  const body = PEM.exec(text)?.[1];
  if (body === undefined) return "Paste a PEM public key (-----BEGIN PUBLIC KEY-----)";
  let der: Uint8Array;
  try {
    der = Uint8Array.from(atob(body.replace(/\s/g, "")), (c) => c.charCodeAt(0));
  } catch {
    return "The key is not valid base64";
  }
  // SubjectPublicKeyInfo ::= SEQUENCE { algorithm SEQUENCE { OID, parameters }, subjectPublicKey BIT STRING }
  const spki = readTlv(der, 0, 0x30);
  const algorithm = spki && readTlv(der, spki.body, 0x30);
  const oid = algorithm && readTlv(der, algorithm.body, 0x06);
  if (!spki || spki.end !== der.length || !oid) return "The key is not a valid SPKI public key";
  const type = KEY_TYPES[hex(der, oid)];
  if (type !== "ec") return type ?? "This key type is not supported for JWT signatures";
  const curve = readTlv(der, oid.end, 0x06);
  return (curve && CURVES[hex(der, curve)]) ?? "This elliptic curve is not supported (use P-256, P-384 or P-521)";
}

interface Tlv {
  body: number;
  end: number;
}

function readTlv(der: Uint8Array, at: number, tag: number): Tlv | null {
  if (der[at] !== tag) return null;
  let length = der[at + 1];
  let body = at + 2;
  if (length === undefined) return null;
  if (length & 0x80) {
    const bytes = length & 0x7f;
    if (bytes < 1 || bytes > 3 || body + bytes > der.length) return null;
    length = 0;
    for (let i = 0; i < bytes; i++) length = length * 256 + (der[body + i] as number);
    body += bytes;
  }
  const end = body + length;
  return end <= der.length ? { body, end } : null;
}

function hex(der: Uint8Array, tlv: Tlv): string {
  return Array.from(der.subarray(tlv.body, tlv.end), (b) => b.toString(16).padStart(2, "0")).join("");
}
