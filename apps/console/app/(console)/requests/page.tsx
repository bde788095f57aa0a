import type { Metadata } from "next";
import { RequestLog } from "@/components/requests/request-log.tsx";
import { PageHeader } from "@/components/ui/page-header.tsx";

export const metadata: Metadata = { title: "Request log" };

export default function RequestsPage() {
  return (
    <>
      <PageHeader
        title="Request log"
        description="The last requests the gateway answered, newest first, as they happen."
      />
      <RequestLog />
    </>
  );
}
