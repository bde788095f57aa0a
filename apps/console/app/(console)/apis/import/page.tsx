import type { Metadata } from "next";
import Link from "next/link";
import { OpenApiImportForm } from "@/components/apis/openapi-import-form.tsx";
import { PageHeader } from "@/components/ui/page-header.tsx";

export const metadata: Metadata = { title: "Import from OpenAPI" };

export default function ImportOpenApiPage() {
  return (
    <div style={{ maxWidth: 860 }}>
      <PageHeader
        breadcrumb={<Link href="/apis">APIs</Link>}
        title="Import from OpenAPI"
        description="One route per operation, a pool at the document's server, and request validation if you want it."
      />
      <OpenApiImportForm />
    </div>
  );
}
