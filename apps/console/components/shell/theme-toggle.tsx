"use client";

import { useTheme } from "@/lib/theme.ts";

export function ThemeToggle() {
  const { resolved, setChoice } = useTheme();
  const next = resolved === "dark" ? "light" : "dark";
  return (
    <button
      type="button"
      className="button button-ghost icon-button"
      aria-label={resolved ? `Switch to ${next} theme` : "Switch theme"}
      title={resolved ? `Switch to ${next} theme` : "Switch theme"}
      onClick={() => setChoice(next)}
    >
      <svg width="16" height="16" viewBox="0 0 24 24" fill="none" aria-hidden="true">
        <circle cx="12" cy="12" r="9" stroke="currentColor" strokeWidth="2" />
        <path d="M12 3a9 9 0 0 1 0 18z" fill="currentColor" />
      </svg>
    </button>
  );
}
