"use client";

import type { Admin } from "@gatehouse/shared";
import { useLogout } from "../auth/use-auth.ts";
import { GatewayStatusPill } from "../gateway/gateway-status-pill.tsx";
import { ThemeToggle } from "./theme-toggle.tsx";

export function Topbar({ admin }: { admin: Admin }) {
  const logout = useLogout();
  return (
    <header className="topbar">
      <GatewayStatusPill />
      <span className="spacer" />
      <span className="muted topbar-email" title="Signed in">
        {admin.email}
      </span>
      <ThemeToggle />
      <button type="button" className="button button-small" onClick={() => logout.mutate()} disabled={logout.isPending}>
        {logout.isPending ? "Signing out…" : "Sign out"}
      </button>
    </header>
  );
}
