"use client";

import Link from "next/link";
import { useSearchParams } from "next/navigation";
import { TrafficDashboard } from "../analytics/traffic-dashboard.tsx";
import { historyHref } from "../history/object-href.ts";
import { PageHeader } from "../ui/page-header.tsx";
import { ErrorState, LoadingState } from "../ui/states.tsx";
import { Tabs } from "../ui/tabs.tsx";
import { ApiConfiguration } from "./api-configuration.tsx";
import { EditApiDetails } from "./api-details-dialog.tsx";
import { ApiToggle } from "./api-toggle.tsx";
import { useApi } from "./use-apis.ts";

export function ApiDetailView({ id }: { id: string }) {
  const api = useApi(id);
  const analytics = useSearchParams().get("tab") === "analytics";
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
        actions={
          <>
            <Link className="button" href={historyHref(data.id, "api")}>
              History
            </Link>
            <EditApiDetails api={data} />
            <ApiToggle id={data.id} name={data.name} enabled={data.enabled} label="Enabled" />
          </>
        }
      />
      <Tabs
        label="API views"
        items={[
          { href: `/apis/${data.id}`, label: "Configuration", current: !analytics },
          { href: `/apis/${data.id}?tab=analytics`, label: "Analytics", current: analytics },
        ]}
      />
      {analytics ? (
        <TrafficDashboard filter={{ apiId: data.id }} tops={["consumer"]} />
      ) : (
        <ApiConfiguration api={data} />
      )}
    </>
  );
}
