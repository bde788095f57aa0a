"use client";

import type { Route } from "@gatehouse/shared";
import { useState } from "react";
import { useClientConfig } from "@/lib/public-config-context.tsx";

/** A curl command that calls the API's first route through the gateway. */
export function curlFor(gatewayUrl: string, route: Route | undefined): string | null {
  const path = route?.paths[0];
  if (!route || !path) return null;
  const concrete = path.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, "1");
  const method = route.methods.length && !route.methods.includes("GET") ? route.methods[0] : null;
  const host = route.hosts.find((h) => !h.startsWith("*."));
  const quote = (s: string) => (/^[\w:/.@%~+=,-]+$/.test(s) ? s : `'${s.replace(/'/g, "'\\''")}'`);
  return [
    "curl",
    method ? `-X ${method}` : "",
    host ? `-H ${quote(`Host: ${host}`)}` : "",
    quote(`${gatewayUrl}${concrete}`),
  ]
    .filter(Boolean)
    .join(" ");
}

export function CurlLine({ route }: { route: Route | undefined }) {
  const { gatewayUrl } = useClientConfig();
  const [copied, setCopied] = useState(false);
  const command = curlFor(gatewayUrl, route);
  if (!command) return <p className="muted">Add a route to call this API through the gateway.</p>;
  return (
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
  );
}
