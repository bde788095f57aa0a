"use client";

import Link from "next/link";
import { PoliciesSection } from "../policies/policies-section.tsx";
import { RoutesSection } from "../routes/routes-section.tsx";
import { PageHeader } from "../ui/page-header.tsx";
import { Section } from "../ui/section.tsx";
import { ErrorState, LoadingState } from "../ui/states.tsx";
import { UpstreamSections } from "../upstreams/upstream-section.tsx";
import { ApiToggle } from "./api-toggle.tsx";
import { CurlLine } from "./curl-line.tsx";
import { DeleteApiButton } from "./delete-api-button.tsx";
import { useApi } from "./use-apis.ts";

export function ApiDetailView({ id }: { id: string }) {
  const api = useApi(id);
  const breadcrumb = <Link href="/apis">APIs</Link>;

  if (api.isPending) return <LoadingState label="Loading API…" />;
  if (api.isError) {
    return (
      <>
        <PageHeader breadcrumb={breadcrumb} title="API" />
        <ErrorState error={api.error} onRetry={() => void api.refetch()} />
      </>
    );
  }
  const data = api.data;

  return (
    <>
      <title>{`${data.name} · Gatehouse`}</title>
      <PageHeader
        breadcrumb={breadcrumb}
        title={data.name}
        description={data.description || undefined}
        actions={<ApiToggle id={data.id} name={data.name} enabled={data.enabled} label="Enabled" />}
      />
      <Section title="Call it" description={data.enabled ? undefined : "This API is off: the gateway answers 503."}>
        <CurlLine route={data.routes[0]} />
      </Section>
      <RoutesSection apiId={data.id} routes={data.routes} />
      <PoliciesSection
        description="Auth, limits and checks the gateway applies to this API’s requests, in a fixed order."
        emptyText="Anyone who can reach the gateway can call this API. Add key auth to require an API key, or a rate limit."
        points={[
          { value: "api", label: "Whole API", scope: "api", ids: { apiId: data.id } },
          ...data.routes.map((route) => ({
            value: route.id,
            label: `Route ${route.name ?? route.paths.join(", ")}`,
            scope: "route" as const,
            ids: { routeId: route.id },
          })),
        ]}
      />
      {data.upstream ? (
        <UpstreamSections upstream={data.upstream} linkToPool />
      ) : (
        <Section title="Targets">
          <p className="muted">This API’s upstream pool could not be loaded.</p>
        </Section>
      )}
      <Section title="Danger zone">
        <div className="row" style={{ justifyContent: "space-between" }}>
          <p className="muted">Delete the API and its routes. This cannot be undone.</p>
          <DeleteApiButton id={data.id} name={data.name} />
        </div>
      </Section>
    </>
  );
}
