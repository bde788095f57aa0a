import type { CertificateRow } from "@gatehouse/db";

const labelValue = (value: string) => value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");

/** `gatehouse_certificate_expiry_seconds`, one series per certificate and name, for an alert well before it bites. */
export function renderCertificateExpiry(certificates: readonly CertificateRow[], now = Date.now()): string {
  const lines = [
    "# HELP gatehouse_certificate_expiry_seconds Seconds until the certificate served for this name expires (negative: expired).",
    "# TYPE gatehouse_certificate_expiry_seconds gauge",
  ];
  for (const certificate of certificates) {
    const seconds = Math.round((Date.parse(certificate.notAfter) - now) / 1000);
    for (const sni of certificate.snis) {
      lines.push(
        `gatehouse_certificate_expiry_seconds{id="${labelValue(certificate.id)}",sni="${labelValue(sni)}"} ${seconds}`,
      );
    }
  }
  return `${lines.join("\n")}\n`;
}
