"use client";

import { useRef } from "react";
import { CopyButton } from "./copy-button.tsx";

/** One line to paste somewhere else (a command, a secret), with its copy button. */
export function CodeLine({ text, testId }: { text: string; testId?: string }) {
  const codeRef = useRef<HTMLElement>(null);
  return (
    <div className="code-line">
      <code ref={codeRef} data-testid={testId} className="select-all code-wrap">
        {text}
      </code>
      <CopyButton text={text} fallbackTarget={codeRef} />
    </div>
  );
}
