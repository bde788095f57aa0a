import type { Metadata } from "next";
import Link from "next/link";
import { ConfigView } from "@/components/config/config-view.tsx";
import { PageHeader } from "@/components/ui/page-header.tsx";

export const metadata: Metadata = { title: "Config file" };

export default function ConfigPage() {
  return (
    <>
      <PageHeader
        breadcrumb={<Link href="/settings">Settings</Link>}
        title="Config file"
        description="Keep the gateway’s config in a file under version control: export it, or import a file to apply."
      />
      <ConfigView />
    </>
  );
}
