import type { Metadata } from "next";
import Link from "next/link";
import { HistoryView } from "@/components/history/history-view.tsx";
import { PageHeader } from "@/components/ui/page-header.tsx";

export const metadata: Metadata = { title: "History" };

export default function HistoryPage() {
  return (
    <>
      <PageHeader
        title="History"
        description="Every change to the config is a revision: open one to read what it changed, or to roll the whole config back to it."
        actions={
          <Link className="button" href="/settings/config">
            Export or import
          </Link>
        }
      />
      <HistoryView />
    </>
  );
}
