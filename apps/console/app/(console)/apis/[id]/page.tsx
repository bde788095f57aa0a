"use client";

import { useParams } from "next/navigation";
import { ApiDetailView } from "@/components/apis/api-detail.tsx";

export default function ApiPage() {
  const { id } = useParams<{ id: string }>();
  return <ApiDetailView id={id} />;
}
