"use client";

import type { ApiDetail } from "@gatehouse/shared";
import { CacheHitRatio } from "../canary/cache-hit-ratio.tsx";
import { CanaryPanel } from "../canary/canary-panel.tsx";
import { PoliciesSection } from "../policies/policies-section.tsx";
import { usePolicies } from "../policies/use-policies.ts";
import { RoutesSection } from "../routes/routes-section.tsx";
import { Section } from "../ui/section.tsx";
import { UpstreamSections } from "../upstreams/upstream-section.tsx";
import { CurlLine } from "./curl-line.tsx";
import { DeleteApiButton } from "./delete-api-button.tsx";
import { OpenApiAttachSection } from "./openapi-attach-section.tsx";
import { PurgeCacheButton } from "./purge-cache-button.tsx";

/** How the gateway serves an API: its routes, policies and upstream pool. */
export function ApiConfiguration({ api }: { api: ApiDetail }) {
  const policies = usePolicies();
  const routeIds = new Set(api.routes.map((route) => route.id));
  const own = (policies.data ?? []).filter(
    (policy) => policy.apiId === api.id || (policy.routeId !== null && routeIds.has(policy.routeId)),
  );
  const split = own.find((policy) => policy.type === "traffic-split");
  const cached = own.some((policy) => policy.type === "proxy-cache");
  return (
    <>
      <Section title="Call it" description={api.enabled ? undefined : "This API is off: the gateway answers 503."}>
        <CurlLine route={api.routes[0]} />
      </Section>
      <RoutesSection apiId={api.id} routes={api.routes} />
      <PoliciesSection
        description="Auth, limits and checks the gateway applies to this API’s requests, in a fixed order."
        emptyText="Anyone who can reach the gateway can call this API. Add key auth to require an API key, or a rate limit."
        points={[
          { value: "api", label: "Whole API", scope: "api", ids: { apiId: api.id } },
          ...api.routes.map((route) => ({
            value: route.id,
            label: `Route ${route.name ?? route.paths.join(", ")}`,
            scope: "route" as const,
            ids: { routeId: route.id },
          })),
        ]}
      />
      <OpenApiAttachSection apiId={api.id} />
      {split ? <CanaryPanel api={api} policy={split} /> : null}
      {cached ? (
        <Section title="Cache">
          <CacheHitRatio apiId={api.id} />
        </Section>
      ) : null}
      {api.upstream ? (
        <UpstreamSections upstream={api.upstream} linkToPool />
      ) : (
        <Section title="Targets">
          <p className="muted">This API’s upstream pool could not be loaded.</p>
        </Section>
      )}
      <Section title="Danger zone">
        <div className="row" style={{ justifyContent: "space-between" }}>
          <p className="muted">Drop the answers gateways cached for this API (proxy cache).</p>
          <PurgeCacheButton id={api.id} name={api.name} />
        </div>
        <div className="row" style={{ justifyContent: "space-between" }}>
          <p className="muted">Delete the API and its routes. This cannot be undone.</p>
          <DeleteApiButton id={api.id} name={api.name} />
        </div>
      </Section>
    </>
  );
}
