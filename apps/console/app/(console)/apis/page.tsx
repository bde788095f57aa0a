import type { Metadata } from "next";
import Link from "next/link";
import { ApiList } from "@/components/apis/api-list.tsx";
import { PageHeader } from "@/components/ui/page-header.tsx";

export const metadata: Metadata = { title: "APIs" };

export default function ApisPage() {
  return (
    <>
      <PageHeader
        title="APIs"
        description="Each API routes paths on the gateway to an upstream pool."
        actions={
          <>
            <Link className="button" href="/apis/import">
              Import from OpenAPI
            </Link>
            <Link className="button button-primary" href="/apis/new">
              New API
            </Link>
          </>
        }
      />
      <ApiList />
    </>
  );
}
