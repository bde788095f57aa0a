"use client";

import Link from "next/link";
import { Banner } from "../ui/banner.tsx";
import { PageHeader } from "../ui/page-header.tsx";
import { EmptyState, ErrorState, LoadingState } from "../ui/states.tsx";
import { ChangeDiff } from "./change-diff.tsx";
import { RollbackButton } from "./rollback-button.tsx";
import { SourceBadge } from "./source-badge.tsx";
import { useHistoryStart, useRevision } from "./use-history.ts";

/** One revision: who made it, each object it changed as a diff, and a rollback to it. */
export function RevisionView({ revision }: { revision: number }) {
  const detail = useRevision(revision);
  const historyStart = useHistoryStart();
  const breadcrumb = <Link href="/history">History</Link>;
  const title = `Revision ${revision}`;

  if (!Number.isInteger(revision) || revision < 1) {
    return (
      <>
        <PageHeader breadcrumb={breadcrumb} title="Revision" />
        <EmptyState title="No such revision" icon="↺">
          A revision is a whole number from 1 up.
        </EmptyState>
      </>
    );
  }
  if (detail.isPending) return <LoadingState label="Loading revision…" />;
  if (detail.isError) {
    return (
      <>
        <PageHeader breadcrumb={breadcrumb} title={title} />
        <ErrorState error={detail.error} onRetry={() => void detail.refetch()} />
      </>
    );
  }
  const data = detail.data;
  const start = historyStart.data;
  const tooOld = start !== undefined && revision < start;

  return (
    <>
      <title>{`${title} · Gatehouse`}</title>
      <PageHeader
        breadcrumb={breadcrumb}
        title={title}
        description={
          <>
            <SourceBadge source={data.source} /> by {data.actor},{" "}
            <time dateTime={data.at}>{new Date(data.at).toLocaleString()}</time>
          </>
        }
        actions={start !== undefined && !tooOld ? <RollbackButton revision={revision} /> : null}
      />
      {tooOld ? (
        <Banner tone="info" title="This revision cannot be rolled back to.">
          History keeps the whole config from revision {start} on; revision {revision} is older, so only what it changed
          is shown here.
        </Banner>
      ) : null}
      {data.changes.length === 0 ? (
        <EmptyState title="No config objects changed" icon="↺">
          This revision changed something outside the config file ({data.records}{" "}
          {data.records === 1 ? "record" : "records"}), such as a key or a cache purge.
        </EmptyState>
      ) : (
        data.changes.map((change) => <ChangeDiff key={`${change.kind}:${change.id ?? change.name}`} change={change} />)
      )}
    </>
  );
}
