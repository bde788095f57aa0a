"use client";

import { useCallback, useSyncExternalStore } from "react";

import { THEME_STORAGE_KEY } from "./theme-script.ts";

export type ThemeChoice = "system" | "light" | "dark";

const listeners = new Set<() => void>();

function subscribe(listener: () => void) {
  listeners.add(listener);
  const media = window.matchMedia("(prefers-color-scheme: dark)");
  media.addEventListener("change", listener);
  window.addEventListener("storage", listener);
  return () => {
    listeners.delete(listener);
    media.removeEventListener("change", listener);
    window.removeEventListener("storage", listener);
  };
}

function readChoice(): ThemeChoice {
  const pinned = document.documentElement.dataset.theme;
  return pinned === "light" || pinned === "dark" ? pinned : "system";
}

function readSnapshot(): string {
  const dark = window.matchMedia("(prefers-color-scheme: dark)").matches;
  return `${readChoice()}:${dark ? "dark" : "light"}`;
}

/** The theme choice (system, light, dark) and the theme in effect; null before hydration. */
export function useTheme() {
  const snapshot = useSyncExternalStore(subscribe, readSnapshot, () => null);
  const [choice, systemTheme] = (snapshot?.split(":") ?? [null, null]) as [ThemeChoice | null, "light" | "dark" | null];
  const resolved = choice === "light" || choice === "dark" ? choice : systemTheme;

  const setChoice = useCallback((next: ThemeChoice) => {
    try {
      if (next === "system") localStorage.removeItem(THEME_STORAGE_KEY);
      else localStorage.setItem(THEME_STORAGE_KEY, next);
    } catch {
      // Private mode: the choice lasts for this page only.
    }
    if (next === "system") delete document.documentElement.dataset.theme;
    else document.documentElement.dataset.theme = next;
    for (const listener of listeners) listener();
  }, []);

  return { choice, resolved, setChoice };
}
