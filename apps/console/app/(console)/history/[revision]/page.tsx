"use client";

import { useParams } from "next/navigation";
import { RevisionView } from "@/components/history/revision-view.tsx";

export default function RevisionPage() {
  const { revision } = useParams<{ revision: string }>();
  return <RevisionView revision={Number(revision)} />;
}
