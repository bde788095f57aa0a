"use client";

import { CodeLine } from "../ui/code-line.tsx";
import { isLoopback, nodeCommand, useConsoleOrigin } from "./node-command.ts";

/** How to start a node on another host, with this console's address and the token filled in. */
export function RunNodeSteps({ token }: { token: string }) {
  const origin = useConsoleOrigin();
  return (
    <ol className="steps">
      <li>
        On the other host, in a clone of Gatehouse:
        <CodeLine text="npm install" />
      </li>
      <li>
        Start its gateway as a node of this console:
        <CodeLine text={nodeCommand(origin, token)} testId="node-command" />
        {isLoopback(origin) ? (
          <span className="hint">
            This console is open at a loopback address; on another host, use an address that reaches this one.
          </span>
        ) : null}
      </li>
    </ol>
  );
}
