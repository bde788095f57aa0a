import type { Metadata } from "next";
import { PageHeader } from "@/components/ui/page-header.tsx";
import { EmptyState } from "@/components/ui/states.tsx";

export const metadata: Metadata = { title: "Analytics" };

export default function AnalyticsPage() {
  return (
    <>
      <PageHeader title="Analytics" description="Traffic, latency and errors per API, route and consumer." />
      <div className="section">
        <EmptyState title="Traffic analytics are on the way" icon="∿">
          The gateway does not record traffic yet. Once it does, this page will show requests per second, p50/p95/p99
          latency and error rates, live and over time. Nothing is shown until there is real data.
        </EmptyState>
      </div>
    </>
  );
}
