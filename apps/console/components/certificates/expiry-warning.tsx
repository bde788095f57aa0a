"use client";

import Link from "next/link";
import { Banner } from "../ui/banner.tsx";
import { daysLeft, EXPIRY_WARNING_DAYS, expiringSoon, useCertificates } from "./use-certificates.ts";

/** On the Overview: certificates that expire within 30 days, before clients start refusing them. */
export function CertificateExpiryWarning() {
  const certificates = useCertificates();
  if (!certificates.isSuccess) return null;
  const soon = expiringSoon(certificates.data);
  if (soon.length === 0) return null;
  return (
    <Banner tone="warning" title={`Certificates expire within ${EXPIRY_WARNING_DAYS} days:`}>
      {soon
        .map((certificate) => {
          const days = daysLeft(certificate);
          return `${certificate.snis.join(", ")} (${days < 0 ? "expired" : `${days} day${days === 1 ? "" : "s"} left`})`;
        })
        .join("; ")}
      . <Link href="/certificates">Replace them</Link>.
    </Banner>
  );
}
