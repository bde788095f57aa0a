"use client";

import type { ApiDetail, ApiKeyIssued } from "@gatehouse/shared";
import { useRef } from "react";
import { useClientConfig } from "@/lib/public-config-context.tsx";
import { curlFor } from "../apis/curl-line.tsx";
import { useApiList } from "../apis/use-apis.ts";
import { Banner } from "../ui/banner.tsx";
import { CopyButton } from "../ui/copy-button.tsx";

/** The Admin API's largest page: the scope picker and the curl line share this one request. */
export const ALL_APIS = { limit: 200 } as const;

/** The API the curl line calls: the first scoped one with a route, or, for an unscoped key, the first API with one. */
function apiToCall(apis: ApiDetail[], apiIds: string[]): ApiDetail | undefined {
  const candidates = apiIds.length ? apiIds.map((id) => apis.find((api) => api.id === id)) : apis;
  return candidates.find((api) => api?.routes[0]?.paths[0]);
}

/** The only sight of a new key: the Admin API stores its hash, so this panel cannot be shown again. */
export function IssuedKeyPanel({ issued, note }: { issued: ApiKeyIssued; note?: string }) {
  const keyRef = useRef<HTMLElement>(null);
  const { gatewayUrl } = useClientConfig();
  const apis = useApiList(ALL_APIS);
  const api = apis.data ? apiToCall(apis.data.data, issued.apiIds) : undefined;
  // curlFor already picks the method and Host header a route needs; the key goes in as the first header.
  const curl = api ? curlFor(gatewayUrl, api.routes[0])?.replace(/^curl/, `curl -H "x-api-key: ${issued.key}"`) : null;

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
        {curl && api ? (
          <>
            <div className="code-line">
              <code data-testid="issued-key-curl" className="select-all code-wrap">
                {curl}
              </code>
            </div>
            <span className="hint">
              Calls {api.name}. The gateway checks keys on APIs with the key-auth policy, in the x-api-key header unless
              the policy names another.
            </span>
          </>
        ) : (
          <span className="hint">
            {apis.isPending ? "Loading APIs…" : "Add an API with a route to call it with this key."}
          </span>
        )}
      </div>
    </div>
  );
}
