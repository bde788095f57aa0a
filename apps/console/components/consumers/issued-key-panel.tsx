"use client";

import type { ApiKeyIssued } from "@gatehouse/shared";
import { useRef } from "react";
import { Banner } from "../ui/banner.tsx";
import { CopyButton } from "../ui/copy-button.tsx";
import { TryKey } from "./try-key.tsx";

export { ALL_APIS } from "./try-key.tsx";

/** The only sight of a new key: the Admin API stores its hash, so this panel cannot be shown again. */
export function IssuedKeyPanel({ issued, note }: { issued: ApiKeyIssued; note?: string }) {
  const keyRef = useRef<HTMLElement>(null);

  return (
    <div className="stack">
      <Banner tone="warning" title="Copy the key now.">
        It will not be shown again: Gatehouse keeps only a hash of it. If it is lost, rotate or issue a new key.
        {note ? ` ${note}` : null}
      </Banner>
      <div className="field">
        <span className="field-label">API key</span>
        <div className="code-line">
          <code ref={keyRef} data-testid="issued-key" className="select-all">
            {issued.key}
          </code>
          <CopyButton text={issued.key} fallbackTarget={keyRef} />
        </div>
      </div>
      <div className="field">
        <span className="field-label">Try it</span>
        <TryKey issued={issued} />
      </div>
    </div>
  );
}
