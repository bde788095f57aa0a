"use client";

import { useParams } from "next/navigation";
import { UpstreamDetailView } from "@/components/upstreams/upstream-detail.tsx";

export default function UpstreamPage() {
  const { id } = useParams<{ id: string }>();
  return <UpstreamDetailView id={id} />;
}
