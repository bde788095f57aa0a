import type { Metadata } from "next";
import { PageHeader } from "@/components/ui/page-header.tsx";
import { EmptyState } from "@/components/ui/states.tsx";

export const metadata: Metadata = { title: "Consumers" };

export default function ConsumersPage() {
  return (
    <>
      <PageHeader title="Consumers" description="The people and services that call your APIs." />
      <div className="section">
        <EmptyState title="Consumers arrive with API keys" icon="⚿">
          Gatehouse does not identify callers yet. When key authentication lands you will create consumers here, issue
          them API keys and see their usage. Until then every enabled API is open to anyone who can reach the gateway.
        </EmptyState>
      </div>
    </>
  );
}
