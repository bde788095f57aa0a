import type { Metadata } from "next";
import { PageHeader } from "@/components/ui/page-header.tsx";
import { UpstreamList } from "@/components/upstreams/upstream-list.tsx";

export const metadata: Metadata = { title: "Upstreams" };

export default function UpstreamsPage() {
  return (
    <>
      <PageHeader title="Upstreams" description="Pools of targets the gateway balances requests across." />
      <UpstreamList />
    </>
  );
}
