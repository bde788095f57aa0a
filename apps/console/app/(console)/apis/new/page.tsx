import type { Metadata } from "next";
import Link from "next/link";
import { NewApiForm } from "@/components/apis/new-api-form.tsx";
import { PageHeader } from "@/components/ui/page-header.tsx";

export const metadata: Metadata = { title: "New API" };

export default function NewApiPage() {
  return (
    <div style={{ maxWidth: 760 }}>
      <PageHeader
        breadcrumb={<Link href="/apis">APIs</Link>}
        title="New API"
        description="Name it, choose the paths it answers on, and point it at your service."
      />
      <NewApiForm />
    </div>
  );
}
