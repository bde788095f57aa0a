import { createPrivateKey, X509Certificate } from "node:crypto";
import { createSecureContext } from "node:tls";
import { GatehouseError } from "@gatehouse/shared";

/** What the Admin API keeps of an uploaded certificate besides the key. */
export interface CertificateFacts {
  /** The chain, each certificate as PEM, leaf first. */
  cert: string;
  names: string[];
  subject: string;
  issuer: string;
  notBefore: string;
  notAfter: string;
}

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

const invalid = (path: "cert" | "key", message: string) =>
  new GatehouseError("validation_failed", "The certificate cannot be used", [{ path, message }]);

/** Reads a PEM chain and its key; a chain Node cannot read, or a key that is not the leaf's, is a 400 on that field. */
export function readCertificate(certPem: string, keyPem: string): CertificateFacts {
  const blocks = certPem.match(PEM_BLOCK) ?? [];
  if (blocks.length === 0) throw invalid("cert", "No PEM certificate (-----BEGIN CERTIFICATE-----) found");
  let chain: X509Certificate[];
  try {
    chain = blocks.map((block) => new X509Certificate(block));
  } catch {
    throw invalid("cert", "A certificate in the chain is not valid PEM/DER");
  }
  const leaf = chain[0] as X509Certificate;
  let key: ReturnType<typeof createPrivateKey>;
  try {
    key = createPrivateKey(keyPem);
  } catch {
    throw invalid("key", "Not a PEM private key (an encrypted key must be decrypted first)");
  }
  if (!leaf.checkPrivateKey(key)) throw invalid("key", "The key does not belong to the certificate");
  const cert = blocks.join("\n");
  try {
    createSecureContext({ cert, key: keyPem });
  } catch (error) {
    throw invalid("cert", `TLS cannot use this certificate: ${(error as Error).message}`);
  }
  return {
    cert,
    names: namesOf(leaf),
    subject: oneLine(leaf.subject),
    issuer: oneLine(leaf.issuer),
    notBefore: leaf.validFromDate.toISOString(),
    notAfter: leaf.validToDate.toISOString(),
  };
}

/** The certificate's DNS names, else its CN: what clients would check it against. */
function namesOf(leaf: X509Certificate): string[] {
  const dns = (leaf.subjectAltName ?? "")
    .split(", ")
    .filter((entry) => entry.startsWith("DNS:"))
    .map((entry) => entry.slice(4).toLowerCase());
  if (dns.length > 0) return [...new Set(dns)];
  const cn = /^CN=(.+)$/m.exec(leaf.subject)?.[1];
  return cn === undefined ? [] : [cn.toLowerCase()];
}

const oneLine = (name: string) => name.split("\n").join(", ");
