import { connection } from "next/server";
import type { ReactNode } from "react";
import { ConsoleShell } from "@/components/shell/console-shell.tsx";
import { publicConfig } from "@/lib/public-config.ts";
import { ConfigProvider } from "@/lib/public-config-context.tsx";

export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  // Read settings at request time, not when the app was built.
  await connection();
  return (
    <ConfigProvider value={publicConfig()}>
      <ConsoleShell>{children}</ConsoleShell>
    </ConfigProvider>
  );
}
