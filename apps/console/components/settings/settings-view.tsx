"use client";

import Link from "next/link";
import { type ThemeChoice, useTheme } from "@/lib/theme.ts";
import { useAuthStatus, useLogout } from "../auth/use-auth.ts";
import { PoliciesSection } from "../policies/policies-section.tsx";
import { Section } from "../ui/section.tsx";
import { SessionsSection } from "./sessions-section.tsx";

const THEMES: { value: ThemeChoice; label: string }[] = [
  { value: "system", label: "Follow the system" },
  { value: "light", label: "Light" },
  { value: "dark", label: "Dark" },
];

export function SettingsView() {
  const { data } = useAuthStatus();
  const logout = useLogout();
  const { choice, setChoice } = useTheme();
  const admin = data?.admin;

  return (
    <>
      <Section title="Account">
        <dl className="dl">
          <dt>Signed in as</dt>
          <dd>{admin?.email ?? "—"}</dd>
          <dt>Admin since</dt>
          <dd>{admin ? new Date(admin.createdAt).toLocaleString() : "—"}</dd>
        </dl>
        <div className="form-actions" style={{ marginTop: 16 }}>
          <button type="button" className="button" onClick={() => logout.mutate()} disabled={logout.isPending}>
            {logout.isPending ? "Signing out…" : "Sign out"}
          </button>
        </div>
      </Section>
      <PoliciesSection
        title="Global policies"
        description="Applied to every API’s requests. A policy of the same kind on an API, route or consumer takes its place there."
        emptyText="Each API gets only the policies attached to it. Attach one here to apply it everywhere, e.g. CORS or a request size limit."
        points={[{ value: "global", label: "Every API", scope: "global", ids: {} }]}
      />
      <SessionsSection />
      <Section title="Nodes">
        <div className="row" style={{ justifyContent: "space-between" }}>
          <p className="muted">Run gateways on more hosts that take their config from this console.</p>
          <Link className="button" href="/settings/nodes">
            Manage nodes
          </Link>
        </div>
      </Section>
      <Section title="Config file">
        <div className="row" style={{ justifyContent: "space-between" }}>
          <p className="muted">Export the whole config as YAML, or import a file to preview and apply.</p>
          <Link className="button" href="/settings/config">
            Export or import
          </Link>
        </div>
      </Section>
      <Section title="Appearance">
        <fieldset className="fieldset">
          <legend>Theme</legend>
          {THEMES.map((theme) => (
            <div className="checkbox-field" key={theme.value}>
              <input
                id={`theme-${theme.value}`}
                type="radio"
                name="theme"
                value={theme.value}
                checked={choice === theme.value}
                onChange={() => setChoice(theme.value)}
              />
              <label htmlFor={`theme-${theme.value}`}>{theme.label}</label>
            </div>
          ))}
        </fieldset>
      </Section>
    </>
  );
}
