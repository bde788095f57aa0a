"use client";

import { usePathname, useRouter } from "next/navigation";
import { type ReactNode, useEffect } from "react";
import { useAuthStatus } from "../auth/use-auth.ts";
import { ErrorState, LoadingState } from "../ui/states.tsx";
import { Sidebar } from "./sidebar.tsx";
import { Topbar } from "./topbar.tsx";

/** The signed-in frame: sends visitors to /setup or /login, then draws navigation and header. */
export function ConsoleShell({ children }: { children: ReactNode }) {
  const router = useRouter();
  const pathname = usePathname();
  const { data, isPending, error, refetch } = useAuthStatus();

  useEffect(() => {
    if (!data) return;
    if (data.setupRequired) router.replace("/setup");
    else if (!data.admin) router.replace(`/login?next=${encodeURIComponent(pathname)}`);
  }, [data, pathname, router]);

  if (isPending) {
    return (
      <main className="auth-page">
        <LoadingState />
      </main>
    );
  }
  if (error) {
    return (
      <main className="auth-page">
        <ErrorState error={error} onRetry={() => void refetch()} />
      </main>
    );
  }
  if (!data.admin) {
    return (
      <main className="auth-page">
        <LoadingState label="Redirecting to sign in…" />
      </main>
    );
  }

  return (
    <div className="shell">
      <Sidebar />
      <div className="main">
        <Topbar admin={data.admin} />
        <main className="content">{children}</main>
      </div>
    </div>
  );
}
