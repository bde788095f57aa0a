"use client";

import type { ApiDetail } from "@gatehouse/shared";
import Link from "next/link";
import { RouteSummary } from "../routes/route-summary.tsx";
import { type Column, ResourceList } from "../ui/resource-list.tsx";
import { EmptyState } from "../ui/states.tsx";
import { ApiToggle } from "./api-toggle.tsx";
import { useApiList } from "./use-apis.ts";

const NAME: Column<ApiDetail> = {
  header: "Name",
  cell: (api) => (
    <>
      <Link className="name-link" href={`/apis/${api.id}`}>
        {api.name}
      </Link>
      {api.description ? <div className="muted">{api.description}</div> : null}
    </>
  ),
};
const ROUTES: Column<ApiDetail> = { header: "Routes", cell: (api) => <RouteSummary routes={api.routes} /> };
const ENABLED: Column<ApiDetail> = {
  header: "Enabled",
  cell: (api) => <ApiToggle id={api.id} name={api.name} enabled={api.enabled} />,
};

const COLUMNS: Column<ApiDetail>[] = [
  NAME,
  ROUTES,
  {
    header: "Upstream",
    cell: (api) =>
      api.upstream ? (
        <>
          <div>{api.upstream.name}</div>
          <div className="faint">
            {api.upstream.targets.length} {api.upstream.targets.length === 1 ? "target" : "targets"}
          </div>
        </>
      ) : (
        <span className="faint">—</span>
      ),
  },
  ENABLED,
];

export function ApiList() {
  return (
    <ResourceList
      noun="APIs"
      filterLabel="Filter APIs by name"
      useList={useApiList}
      columns={COLUMNS}
      empty={
        <EmptyState
          title="Publish your first API"
          icon="⇄"
          action={
            <Link className="button button-primary" href="/apis/new">
              New API
            </Link>
          }
        >
          An API maps paths on the gateway to an upstream service. Create one and switch it on or off at any time.
        </EmptyState>
      }
    />
  );
}

/** The APIs that send their requests to one pool, on the pool's page. */
export function PoolApiList({ upstreamId }: { upstreamId: string }) {
  return (
    <ResourceList
      noun="APIs"
      useList={useApiList}
      where={{ upstreamId }}
      columns={[NAME, ROUTES, ENABLED]}
      pageSize={10}
      framed={false}
      empty={
        <EmptyState title="No API uses this pool" icon="⇄">
          Pick it under Upstream when you create an API. A pool no API uses can be deleted.
        </EmptyState>
      }
    />
  );
}
