import type { Metadata } from "next";
import Link from "next/link";
import { NodeTable } from "@/components/nodes/node-table.tsx";
import { NodeTokensSection } from "@/components/nodes/node-tokens-section.tsx";
import { PageHeader } from "@/components/ui/page-header.tsx";

export const metadata: Metadata = { title: "Nodes" };

export default function NodesPage() {
  return (
    <>
      <PageHeader
        breadcrumb={<Link href="/settings">Settings</Link>}
        title="Nodes"
        description="Gateways on other hosts that follow this console, and the tokens they follow it with."
      />
      <NodeTable />
      <NodeTokensSection />
    </>
  );
}
