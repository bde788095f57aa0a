"use client";

import { type RefObject, useEffect, useState } from "react";

interface CopyButtonProps {
  text: string;
  /** Selected instead when the clipboard is unavailable, so the user can press Ctrl+C. */
  fallbackTarget: RefObject<HTMLElement | null>;
  label?: string;
}

function selectContents(element: HTMLElement) {
  const selection = window.getSelection();
  if (!selection) return;
  const range = document.createRange();
  range.selectNodeContents(element);
  selection.removeAllRanges();
  selection.addRange(range);
}

/** Copies text; the outcome is announced beside the button so its name stays the same for everyone. */
export function CopyButton({ text, fallbackTarget, label = "Copy" }: CopyButtonProps) {
  const [outcome, setOutcome] = useState<"copied" | "selected" | null>(null);

  useEffect(() => {
    if (outcome !== "copied") return;
    const timer = setTimeout(() => setOutcome(null), 2000);
    return () => clearTimeout(timer);
  }, [outcome]);

  async function copy() {
    try {
      // navigator.clipboard only exists on secure origins; a console on plain http over the LAN has none.
      if (!navigator.clipboard) throw new Error("No clipboard");
      await navigator.clipboard.writeText(text);
      setOutcome("copied");
    } catch {
      if (fallbackTarget.current) selectContents(fallbackTarget.current);
      setOutcome("selected");
    }
  }

  return (
    <>
      <span className="copy-status" role="status">
        {outcome === "copied" ? "Copied" : outcome === "selected" ? "Selected: press Ctrl+C to copy" : ""}
      </span>
      <button type="button" className="button button-small" onClick={() => void copy()}>
        {label}
      </button>
    </>
  );
}
