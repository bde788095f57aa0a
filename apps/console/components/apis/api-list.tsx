"use client";

import Link from "next/link";
import { useState } from "react";
import { useDebounced } from "@/lib/use-debounced.ts";
import { RouteSummary } from "../routes/route-summary.tsx";
import { ListFilter } from "../ui/list-filter.tsx";
import { Pagination } from "../ui/pagination.tsx";
import { EmptyState, ErrorState, LoadingState } from "../ui/states.tsx";
import { ApiToggle } from "./api-toggle.tsx";
import { useApiList } from "./use-apis.ts";

const LIMIT = 25;

export function ApiList() {
  const [filter, setFilter] = useState("");
  const [offset, setOffset] = useState(0);
  const name = useDebounced(filter.trim());
  const list = useApiList({ limit: LIMIT, offset, name: name || undefined });

  const filtering = name !== "";
  const page = list.data;

  return (
    <>
      <ListFilter
        id="api-filter"
        label="Filter APIs by name"
        value={filter}
        onChange={(value) => {
          setFilter(value);
          setOffset(0);
        }}
        updating={list.isFetching && !list.isPending}
      />
      <div className="section">
        {list.isPending ? (
          <LoadingState label="Loading APIs…" />
        ) : list.isError ? (
          <ErrorState error={list.error} onRetry={() => void list.refetch()} />
        ) : page && page.data.length === 0 ? (
          filtering ? (
            <EmptyState title="No matching APIs" icon="⌕">
              No API name contains “{name}”.
            </EmptyState>
          ) : (
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
          )
        ) : page ? (
          <>
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Routes</th>
                  <th scope="col">Upstream</th>
                  <th scope="col">Enabled</th>
                </tr>
              </thead>
              <tbody>
                {page.data.map((api) => (
                  <tr key={api.id}>
                    <td>
                      <Link className="name-link" href={`/apis/${api.id}`}>
                        {api.name}
                      </Link>
                      {api.description ? <div className="muted">{api.description}</div> : null}
                    </td>
                    <td>
                      <RouteSummary routes={api.routes} />
                    </td>
                    <td>
                      {api.upstream ? (
                        <>
                          <div>{api.upstream.name}</div>
                          <div className="faint">
                            {api.upstream.targets.length} {api.upstream.targets.length === 1 ? "target" : "targets"}
                          </div>
                        </>
                      ) : (
                        <span className="faint">—</span>
                      )}
                    </td>
                    <td style={{ width: 240 }}>
                      <ApiToggle id={api.id} name={api.name} enabled={api.enabled} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            <Pagination total={page.total} limit={LIMIT} offset={offset} noun="APIs" onOffset={setOffset} />
          </>
        ) : null}
      </div>
    </>
  );
}
