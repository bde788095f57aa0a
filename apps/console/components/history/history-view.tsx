"use client";

import type { RevisionSummary } from "@gatehouse/shared";
import Link from "next/link";
import { sinceLabel } from "@/lib/since-label.ts";
import { useDebounced } from "@/lib/use-debounced.ts";
import { EmptyState, ErrorState, LoadingState } from "../ui/states.tsx";
import { HistoryFilter, useHistoryFilter } from "./history-filter.tsx";
import { ObjectLinks } from "./object-links.tsx";
import { SourceBadge } from "./source-badge.tsx";
import { useRevisions } from "./use-history.ts";

/** Every revision of the config, newest first, optionally only those that changed one object. */
export function HistoryView() {
  const { kind, objectId } = useHistoryFilter();
  // The query waits for typing to pause; the field follows every keystroke.
  const typedId = useDebounced(objectId.trim());
  const revisions = useRevisions({ kind, objectId: typedId || undefined });
  const rows = revisions.data?.pages.flatMap((page) => page.data) ?? [];
  const filtered = kind !== undefined || typedId !== "";

  return (
    <>
      <HistoryFilter kind={kind} objectId={objectId} />
      <div className="section">
        {revisions.isPending ? (
          <LoadingState label="Loading history…" />
        ) : revisions.isError ? (
          <ErrorState error={revisions.error} onRetry={() => void revisions.refetch()} />
        ) : rows.length === 0 ? (
          <EmptyState title={filtered ? "No revision matches" : "No revisions yet"} icon="↺">
            {filtered
              ? "No revision changed an object of this kind or with this id."
              : "Each save from the console, the Admin API or a config file adds a revision here."}
          </EmptyState>
        ) : (
          <>
            <RevisionTable rows={rows} />
            <div className="pagination">
              <span>
                {rows.length} {rows.length === 1 ? "revision" : "revisions"} shown
              </span>
              {revisions.hasNextPage ? (
                <button
                  type="button"
                  className="button button-small"
                  disabled={revisions.isFetchingNextPage}
                  onClick={() => void revisions.fetchNextPage()}
                >
                  {revisions.isFetchingNextPage ? "Loading…" : "Load older"}
                </button>
              ) : null}
            </div>
          </>
        )}
      </div>
    </>
  );
}

function RevisionTable({ rows }: { rows: RevisionSummary[] }) {
  return (
    <table className="table">
      <thead>
        <tr>
          <th scope="col">Revision</th>
          <th scope="col">When</th>
          <th scope="col">Who</th>
          <th scope="col">Source</th>
          <th scope="col">Changed</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.revision}>
            <td className="nowrap">
              <Link className="name-link" href={`/history/${row.revision}`}>
                Revision {row.revision}
              </Link>
            </td>
            <td className="nowrap">
              <time dateTime={row.at} title={new Date(row.at).toLocaleString()}>
                {sinceLabel(row.at)} ago
              </time>
            </td>
            <td>{row.actor}</td>
            <td>
              <SourceBadge source={row.source} />
            </td>
            <td>
              <ObjectLinks objects={row.objects} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
