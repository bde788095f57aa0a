"use client";

import type { ApiKeyIssued, GatewayAnswer } from "@gatehouse/shared";
import { useMutation } from "@tanstack/react-query";
import { endpoints } from "@/lib/endpoints.ts";
import { useClientConfig } from "@/lib/public-config-context.tsx";
import { callFor, curlFor, routeForKey } from "../apis/gateway-call.ts";
import { useApiList } from "../apis/use-apis.ts";
import { usePolicies } from "../policies/use-policies.ts";

/** The Admin API's largest page: the scope picker and "Try it" share this one request. */
export const ALL_APIS = { limit: 200 } as const;

/** A new key's first call: a curl line to copy, and the same request sent through the gateway from here. */
export function TryKey({ issued }: { issued: ApiKeyIssued }) {
  const { gatewayUrl } = useClientConfig();
  const apis = useApiList(ALL_APIS);
  const policies = usePolicies();
  const send = useMutation({ mutationFn: endpoints.gateway.call });

  if (apis.isPending || policies.isPending) return <span className="hint">Loading APIs…</span>;
  if (apis.isError || policies.isError) {
    return <span className="field-error">Could not load the APIs: {(apis.error ?? policies.error)?.message}</span>;
  }
  const target = routeForKey(apis.data.data, policies.data, issued.apiIds);
  if (!target) {
    return (
      <span className="hint" data-testid="try-key-none">
        {issued.apiIds.length ? "None of the APIs this key may call" : "No enabled API"} has key auth on, so no request
        would use this key. Add the Key auth policy to an API to try it.
      </span>
    );
  }
  const call = callFor(target.route, { header: target.header, value: issued.key });
  if (!call) return null;

  return (
    <>
      <div className="code-line">
        <code data-testid="issued-key-curl" className="select-all code-wrap">
          {curlFor(gatewayUrl, call)}
        </code>
        <button
          type="button"
          className="button button-small"
          disabled={send.isPending}
          onClick={() => send.mutate(call)}
        >
          {send.isPending ? "Sending…" : "Send"}
        </button>
      </div>
      <span className="hint">
        Calls {target.api.name} ({call.method} {call.path}); its key-auth policy reads the key from the {target.header}{" "}
        header.
      </span>
      {send.isError ? <span className="field-error">{send.error.message}</span> : null}
      {send.data ? <Answer answer={send.data.data} /> : null}
    </>
  );
}

function Answer({ answer }: { answer: GatewayAnswer }) {
  const tone = answer.status < 300 ? "badge-success" : answer.status < 500 ? "badge-warning" : "badge-danger";
  return (
    <div className="try-answer" data-testid="try-key-answer" role="status">
      <div className="row">
        <span className={`badge ${tone}`}>{answer.status}</span>
        <span className="muted">
          {answer.durationMs} ms{answer.truncated ? " · first 4 KB shown" : ""}
        </span>
      </div>
      <pre>{pretty(answer.body)}</pre>
    </div>
  );
}

function pretty(body: string): string {
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}
