"use client";

import { useParams } from "next/navigation";
import { ConsumerDetailView } from "@/components/consumers/consumer-detail.tsx";

export default function ConsumerPage() {
  const { id } = useParams<{ id: string }>();
  return <ConsumerDetailView id={id} />;
}
