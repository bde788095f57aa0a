import type { Metadata } from "next";
import { SettingsView } from "@/components/settings/settings-view.tsx";
import { PageHeader } from "@/components/ui/page-header.tsx";

export const metadata: Metadata = { title: "Settings" };

export default function SettingsPage() {
  return (
    <>
      <PageHeader
        title="Settings"
        description="Your account, policies for every API, where you are signed in, gateways on other hosts, the config as a file, and how the console looks."
      />
      <SettingsView />
    </>
  );
}
