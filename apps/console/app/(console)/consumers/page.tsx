import type { Metadata } from "next";
import { ConsumerList } from "@/components/consumers/consumer-list.tsx";

export const metadata: Metadata = { title: "Consumers" };

export default function ConsumersPage() {
  return <ConsumerList />;
}
