"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { ApiError } from "@/lib/api-client.ts";
import { ConfirmDialog } from "../ui/confirm-dialog.tsx";
import { PageHeader } from "../ui/page-header.tsx";
import { Section } from "../ui/section.tsx";
import { ErrorState, LoadingState } from "../ui/states.tsx";
import { UpstreamSections } from "./upstream-section.tsx";
import { useDeleteUpstream, useUpstream } from "./use-upstreams.ts";

export function UpstreamDetailView({ id }: { id: string }) {
  const router = useRouter();
  const upstream = useUpstream(id);
  const remove = useDeleteUpstream(id);
  const [confirming, setConfirming] = useState(false);
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
  const inUse = remove.error instanceof ApiError && remove.error.status === 409;

  return (
    <>
      <title>{`${data.name} · Gatehouse`}</title>
      <PageHeader
        breadcrumb={breadcrumb}
        title={data.name}
        description="An upstream pool: where the gateway forwards requests."
      />
      <UpstreamSections upstream={data} />
      <Section title="Danger zone">
        <div className="row" style={{ justifyContent: "space-between" }}>
          <p className="muted">Delete this pool. A pool an API still uses cannot be deleted.</p>
          <button
            type="button"
            className="button button-danger"
            onClick={() => {
              remove.reset();
              setConfirming(true);
            }}
          >
            Delete upstream
          </button>
        </div>
      </Section>
      <ConfirmDialog
        open={confirming}
        title={`Delete ${data.name}?`}
        confirmLabel="Delete upstream"
        pending={remove.isPending}
        error={
          inUse
            ? "An API still uses this pool. Point the API elsewhere or delete it first."
            : remove.isError
              ? remove.error.message
              : undefined
        }
        onCancel={() => setConfirming(false)}
        onConfirm={() => remove.mutate(undefined, { onSuccess: () => router.replace("/upstreams") })}
      >
        Its targets are deleted with it.
      </ConfirmDialog>
    </>
  );
}
