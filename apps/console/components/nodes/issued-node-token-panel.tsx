"use client";

import type { NodeTokenIssued } from "@gatehouse/shared";
import { Banner } from "../ui/banner.tsx";
import { CodeLine } from "../ui/code-line.tsx";
import { RunNodeSteps } from "./run-node-steps.tsx";

/** The only sight of a new node token: the console stores its hash, so this panel cannot be shown again. */
export function IssuedNodeTokenPanel({ issued }: { issued: NodeTokenIssued }) {
  return (
    <div className="stack">
      <Banner tone="warning" title="Copy the token now.">
        It will not be shown again: Gatehouse keeps only a hash of it. If it is lost, create a new one.
      </Banner>
      <div className="field">
        <span className="field-label">Node token</span>
        <CodeLine text={issued.token} testId="issued-node-token" />
      </div>
      <div className="field">
        <span className="field-label">Run a node with it</span>
        <RunNodeSteps token={issued.token} />
      </div>
    </div>
  );
}
