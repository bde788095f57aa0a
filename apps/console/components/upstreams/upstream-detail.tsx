"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { ApiError } from "@/lib/api-client.ts";
import { PoolApiList } from "../apis/api-list.tsx";
import { historyHref } from "../history/object-href.ts";
import { DeleteButton } from "../ui/confirm-delete.tsx";
import { PageHeader } from "../ui/page-header.tsx";
import { Section } from "../ui/section.tsx";
import { ErrorState, LoadingState } from "../ui/states.tsx";
import { UnsafeTlsBadge } from "./unsafe-tls-badge.tsx";
import { UpstreamSections } from "./upstream-section.tsx";
import { useDeleteUpstream, useUpstream } from "./use-upstreams.ts";

const inUse = (error: Error) =>
  error instanceof ApiError && error.status === 409
    ? "An API still uses this pool. Point the API elsewhere or delete it first."
    : error.message;

export function UpstreamDetailView({ id }: { id: string }) {
  const router = useRouter();
  const upstream = useUpstream(id);
  const remove = useDeleteUpstream(id);
  const breadcrumb = <Link href="/upstreams">Upstreams</Link>;

  if (upstream.isPending) return <LoadingState label="Loading upstream…" />;
  if (upstream.isError) {
    return (
      <>
        <PageHeader breadcrumb={breadcrumb} title="Upstream" />
        <ErrorState error={upstream.error} onRetry={() => void upstream.refetch()} />
      </>
    );
  }
  const data = upstream.data;

  return (
    <>
      <title>{`${data.name} · Gatehouse`}</title>
      <PageHeader
        breadcrumb={breadcrumb}
        title={
          <>
            {data.name} <UnsafeTlsBadge upstream={data} />
          </>
        }
        description="An upstream pool: where the gateway forwards requests."
        actions={
          <Link className="button" href={historyHref(data.id, "upstream")}>
            History
          </Link>
        }
      />
      <UpstreamSections upstream={data} />
      <Section title="APIs using this pool" description="Requests to these APIs are balanced across this pool." flush>
        <PoolApiList upstreamId={data.id} />
      </Section>
      <Section title="Danger zone">
        <div className="row" style={{ justifyContent: "space-between" }}>
          <p className="muted">Delete this pool. A pool an API still uses cannot be deleted.</p>
          <DeleteButton
            label="Delete upstream"
            title={`Delete ${data.name}?`}
            remove={remove}
            variables={undefined}
            explain={inUse}
            onDeleted={() => router.replace("/upstreams")}
          >
            Its targets are deleted with it.
          </DeleteButton>
        </div>
      </Section>
    </>
  );
}
