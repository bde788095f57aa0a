import { createPrivateKey, type KeyObject, X509Certificate } from "node:crypto";
import { type FieldError, GatehouseError, type UpstreamTls } from "@gatehouse/shared";

const CERTIFICATE_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** Every certificate in the PEM text, or null when there is none or one does not parse. */
function parseCertificates(pem: string): X509Certificate[] | null {
  const blocks = pem.match(CERTIFICATE_BLOCK);
  if (blocks === null) return null;
  try {
    return blocks.map((block) => new X509Certificate(block));
  } catch {
    return null;
  }
}

function parseKey(pem: string): KeyObject | null {
  try {
    return createPrivateKey(pem);
  } catch {
    return null;
  }
}

/**
 * What is wrong with a pool's TLS settings, each under `<at>tls.<field>`: PEM text that does
 * not parse, a client key without its certificate or the reverse, a key its certificate does
 * not hold. Checked here and not in the shared schema, which stays free of node:crypto.
 */
export function poolTlsProblems(tls: UpstreamTls, at = ""): FieldError[] {
  const problems: FieldError[] = [];
  const path = (field: keyof UpstreamTls) => `${at}tls.${field}`;
  if (tls.caBundle !== undefined && parseCertificates(tls.caBundle) === null) {
    problems.push({ path: path("caBundle"), message: "Not PEM certificates that parse" });
  }
  const certificates = tls.clientCertificate === undefined ? undefined : parseCertificates(tls.clientCertificate);
  if (certificates === null) {
    problems.push({ path: path("clientCertificate"), message: "Not a PEM certificate that parses" });
  }
  const key = tls.clientKey === undefined ? undefined : parseKey(tls.clientKey);
  if (key === null) problems.push({ path: path("clientKey"), message: "Not a PEM private key that parses" });
  if (tls.clientCertificate !== undefined && tls.clientKey === undefined) {
    problems.push({ path: path("clientKey"), message: "A client certificate needs its key" });
  }
  if (tls.clientKey !== undefined && tls.clientCertificate === undefined) {
    problems.push({ path: path("clientCertificate"), message: "A client key needs its certificate" });
  }
  const leaf = certificates?.[0];
  if (leaf !== undefined && key && !leaf.checkPrivateKey(key)) {
    problems.push({ path: path("clientKey"), message: "This key does not belong to the client certificate" });
  }
  return problems;
}

export function assertPoolTls(tls: UpstreamTls, at = ""): void {
  const problems = poolTlsProblems(tls, at);
  if (problems.length > 0) throw new GatehouseError("validation_failed", "The request has invalid fields", problems);
}

/**
 * The key is write-only: a form or a file that sends the certificate back without the key it
 * was never shown keeps the saved key.
 */
export function withSavedKey(sent: UpstreamTls, saved: UpstreamTls | undefined): UpstreamTls {
  if (sent.clientKey !== undefined || sent.clientCertificate === undefined || saved?.clientKey === undefined) {
    return sent;
  }
  return { ...sent, clientKey: saved.clientKey };
}
