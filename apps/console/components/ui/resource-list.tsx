"use client";

import type { UseQueryResult } from "@tanstack/react-query";
import { type ReactNode, useState } from "react";
import type { ListParams, Page } from "@/lib/endpoints.ts";
import { useDebounced } from "@/lib/use-debounced.ts";
import { ListFilter } from "./list-filter.tsx";
import { Pagination } from "./pagination.tsx";
import { EmptyState, ErrorState, LoadingState } from "./states.tsx";

export interface Column<T> {
  header: string;
  cell: (item: T) => ReactNode;
  className?: string;
}

interface ResourceListProps<T extends { id: string }, Q extends object> {
  /** Plural, lower case where it is a common noun: "APIs", "consumers". */
  noun: string;
  /** The list query for one page; called once per render with the filter, the page and `where`. */
  useList: (params: ListParams & Q) => UseQueryResult<Page<T>>;
  /** What every page is narrowed to beyond the search box, e.g. `{ upstreamId }`. */
  where?: Q;
  columns: Column<T>[];
  /** Shown when there is nothing at all (not merely nothing matching). */
  empty: ReactNode;
  /** Labels the search box; omit for a short list without one. */
  filterLabel?: string;
  pageSize?: number;
  /** false inside a card of its own (a Section), which would otherwise frame the table twice. */
  framed?: boolean;
}

/** A paginated table of one kind of thing with its search box, loading, error and empty states. */
export function ResourceList<T extends { id: string }, Q extends object = object>({
  noun,
  useList,
  where,
  columns,
  empty,
  filterLabel,
  pageSize = 25,
  framed = true,
}: ResourceListProps<T, Q>) {
  const [filter, setFilter] = useState("");
  const [offset, setOffset] = useState(0);
  const name = useDebounced(filter.trim());
  const list = useList({ ...(where as Q), limit: pageSize, offset, name: name || undefined });
  const page = list.data;

  return (
    <>
      {filterLabel ? (
        <ListFilter
          id={`${noun.toLowerCase().replace(/\W+/g, "-")}-filter`}
          label={filterLabel}
          value={filter}
          onChange={(value) => {
            setFilter(value);
            setOffset(0);
          }}
          updating={list.isFetching && !list.isPending}
        />
      ) : null}
      <div className={framed ? "section" : undefined}>
        {list.isPending ? (
          <LoadingState label={`Loading ${noun}…`} />
        ) : list.isError ? (
          <ErrorState error={list.error} onRetry={() => void list.refetch()} />
        ) : page && page.data.length === 0 ? (
          name ? (
            <EmptyState title={`No matching ${noun}`} icon="⌕">
              No name contains “{name}”.
            </EmptyState>
          ) : (
            empty
          )
        ) : page ? (
          <>
            <table className="table">
              <thead>
                <tr>
                  {columns.map((column) => (
                    <th key={column.header} scope="col">
                      {column.header}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {page.data.map((item) => (
                  <tr key={item.id}>
                    {columns.map((column) => (
                      <td key={column.header} className={column.className}>
                        {column.cell(item)}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
            <Pagination total={page.total} limit={pageSize} offset={offset} noun={noun} onOffset={setOffset} />
          </>
        ) : null}
      </div>
    </>
  );
}
