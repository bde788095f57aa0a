"use client";

import type { Route } from "@gatehouse/shared";
import { useState } from "react";
import { useClientConfig } from "@/lib/public-config-context.tsx";
import { usePolicies } from "../policies/use-policies.ts";
import { callFor, curlFor, keyHeaderFor } from "./gateway-call.ts";

/** Stands for the key in a command the admin copies; a real key is shown only once, when issued. */
const KEY_PLACEHOLDER = "<your-api-key>";

/** A curl command that calls the API's first route through the gateway, with a key where key-auth applies. */
export function CurlLine({ route }: { route: Route | undefined }) {
  const { gatewayUrl } = useClientConfig();
  const policies = usePolicies();
  const [copied, setCopied] = useState(false);
  const header = route && policies.data ? keyHeaderFor(route, policies.data) : null;
  const call = route ? callFor(route, header ? { header, value: KEY_PLACEHOLDER } : undefined) : null;
  if (!call) return <p className="muted">Add a route to call this API through the gateway.</p>;
  const command = curlFor(gatewayUrl, call);
  return (
    <div className="field">
      <div className="code-line">
        <code data-testid="curl-command">{command}</code>
        <button
          type="button"
          className="button button-small"
          onClick={() => {
            void navigator.clipboard?.writeText(command).then(() => {
              setCopied(true);
              setTimeout(() => setCopied(false), 1500);
            });
          }}
        >
          {copied ? "Copied" : "Copy"}
        </button>
      </div>
      {header ? (
        <span className="hint">
          Key auth is on: replace {KEY_PLACEHOLDER} with a key issued to a consumer, sent in the {header} header.
        </span>
      ) : null}
    </div>
  );
}
