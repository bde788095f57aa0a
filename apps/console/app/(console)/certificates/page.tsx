import type { Metadata } from "next";
import { CertificatesView } from "@/components/certificates/certificates-view.tsx";

export const metadata: Metadata = { title: "Certificates" };

export default function CertificatesPage() {
  return <CertificatesView />;
}
