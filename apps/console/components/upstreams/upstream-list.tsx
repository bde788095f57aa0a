"use client";

import type { Upstream } from "@gatehouse/shared";
import Link from "next/link";
import { type Column, ResourceList } from "../ui/resource-list.tsx";
import { EmptyState } from "../ui/states.tsx";
import { UnsafeTlsBadge } from "./unsafe-tls-badge.tsx";
import { useUpstreamList } from "./use-upstreams.ts";

const COLUMNS: Column<Upstream>[] = [
  {
    header: "Name",
    cell: (upstream) => (
      <>
        <Link className="name-link" href={`/upstreams/${upstream.id}`}>
          {upstream.name}
        </Link>{" "}
        <UnsafeTlsBadge upstream={upstream} />
      </>
    ),
  },
  {
    header: "Targets",
    cell: (upstream) => (
      <>
        {upstream.targets.slice(0, 2).map((t) => (
          <div key={t.id}>
            <code className={t.enabled ? undefined : "faint"}>{t.url}</code>
          </div>
        ))}
        <div className="faint">
          {upstream.targets.filter((t) => t.enabled).length} of {upstream.targets.length} enabled
        </div>
      </>
    ),
  },
  {
    header: "Timeouts",
    className: "muted",
    cell: (upstream) => `connect ${upstream.connectTimeoutMs} ms · read ${upstream.readTimeoutMs} ms`,
  },
];

export function UpstreamList({ onCreate }: { onCreate: () => void }) {
  return (
    <ResourceList
      noun="upstreams"
      filterLabel="Filter upstreams by name"
      useList={useUpstreamList}
      columns={COLUMNS}
      empty={
        <EmptyState
          title="No upstream pools yet"
          icon="◎"
          action={
            <button type="button" className="button button-primary" onClick={onCreate}>
              New pool
            </button>
          }
        >
          A pool is where the gateway sends an API’s requests. Create one here, or with a new API.
        </EmptyState>
      }
    />
  );
}
