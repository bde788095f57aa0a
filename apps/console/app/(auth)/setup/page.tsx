import type { Metadata } from "next";
import { SetupForm } from "@/components/auth/setup-form.tsx";

export const metadata: Metadata = { title: "Set up" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function SetupPage({ searchParams }: { searchParams: SearchParams }) {
  const { token } = await searchParams;
  return <SetupForm token={typeof token === "string" ? token : ""} />;
}
