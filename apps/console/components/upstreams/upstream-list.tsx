"use client";

import Link from "next/link";
import { useState } from "react";
import { useDebounced } from "@/lib/use-debounced.ts";
import { ListFilter } from "../ui/list-filter.tsx";
import { Pagination } from "../ui/pagination.tsx";
import { EmptyState, ErrorState, LoadingState } from "../ui/states.tsx";
import { useUpstreamList } from "./use-upstreams.ts";

const LIMIT = 25;

export function UpstreamList() {
  const [filter, setFilter] = useState("");
  const [offset, setOffset] = useState(0);
  const name = useDebounced(filter.trim());
  const list = useUpstreamList({ limit: LIMIT, offset, name: name || undefined });
  const page = list.data;

  return (
    <>
      <ListFilter
        id="upstream-filter"
        label="Filter upstreams by name"
        value={filter}
        onChange={(value) => {
          setFilter(value);
          setOffset(0);
        }}
      />
      <div className="section">
        {list.isPending ? (
          <LoadingState label="Loading upstreams…" />
        ) : list.isError ? (
          <ErrorState error={list.error} onRetry={() => void list.refetch()} />
        ) : page && page.data.length === 0 ? (
          name ? (
            <EmptyState title="No matching upstreams" icon="⌕">
              No upstream name contains “{name}”.
            </EmptyState>
          ) : (
            <EmptyState
              title="No upstream pools yet"
              icon="◎"
              action={
                <Link className="button button-primary" href="/apis/new">
                  New API
                </Link>
              }
            >
              A pool is created with each new API. Create an API to get one.
            </EmptyState>
          )
        ) : page ? (
          <>
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Targets</th>
                  <th scope="col">Timeouts</th>
                </tr>
              </thead>
              <tbody>
                {page.data.map((upstream) => {
                  const enabled = upstream.targets.filter((t) => t.enabled).length;
                  return (
                    <tr key={upstream.id}>
                      <td>
                        <Link className="name-link" href={`/upstreams/${upstream.id}`}>
                          {upstream.name}
                        </Link>
                      </td>
                      <td>
                        {upstream.targets.slice(0, 2).map((t) => (
                          <div key={t.id}>
                            <code className={t.enabled ? undefined : "faint"}>{t.url}</code>
                          </div>
                        ))}
                        <div className="faint">
                          {enabled} of {upstream.targets.length} enabled
                        </div>
                      </td>
                      <td className="muted">
                        connect {upstream.connectTimeoutMs} ms · read {upstream.readTimeoutMs} ms
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
            <Pagination total={page.total} limit={LIMIT} offset={offset} noun="upstreams" onOffset={setOffset} />
          </>
        ) : null}
      </div>
    </>
  );
}
