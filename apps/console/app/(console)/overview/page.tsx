import type { Metadata } from "next";
import { TrafficDashboard } from "@/components/analytics/traffic-dashboard.tsx";
import { CertificateExpiryWarning } from "@/components/certificates/expiry-warning.tsx";
import { PageHeader } from "@/components/ui/page-header.tsx";

export const metadata: Metadata = { title: "Overview" };

export default function OverviewPage() {
  return (
    <>
      <PageHeader title="Overview" description="Requests, errors and latency across every API on the gateway." />
      <CertificateExpiryWarning />
      <TrafficDashboard filter={{}} tops={["api", "consumer"]} />
    </>
  );
}
