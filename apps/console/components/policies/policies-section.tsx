"use client";

import { findPolicySchema, summarizePolicy } from "@gatehouse/policies/schemas";
import type { Policy } from "@gatehouse/shared";
import { useState } from "react";
import { LiveStatus } from "../gateway/live-status.tsx";
import { useLiveRevision } from "../gateway/use-live-revision.ts";
import { useConfirmDelete } from "../ui/confirm-delete.tsx";
import { ConfirmDialog } from "../ui/confirm-dialog.tsx";
import { Section } from "../ui/section.tsx";
import { EmptyState, ErrorState, LoadingState } from "../ui/states.tsx";
import { Switch } from "../ui/switch.tsx";
import { useAllUpstreams } from "../upstreams/use-upstreams.ts";
import { type AttachPoint, PolicyForm, type PolicySubmit } from "./policy-form.tsx";
import { usePolicies, usePolicyMutations } from "./use-policies.ts";

const titleOf = (type: string) => findPolicySchema(type)?.title ?? type;

interface PoliciesSectionProps {
  title?: string;
  /** Where a new policy may go; the first is the default. */
  points: AttachPoint[];
  description: string;
  /** What having no policy here means, for the empty state. */
  emptyText: string;
}

/** The policies attached at these places: listed, switched on and off, added, edited, removed. */
export function PoliciesSection({ title = "Policies", points, description, emptyText }: PoliciesSectionProps) {
  const live = useLiveRevision();
  const policies = usePolicies();
  const { create, update, remove } = usePolicyMutations(live.track);
  const [editing, setEditing] = useState<string | "new" | null>(null);
  const removal = useConfirmDelete({ remove, variables: (policy: Policy) => policy.id });
  const pools = useAllUpstreams();
  const poolName = (id: string) => pools.data?.data.find((pool) => pool.id === id)?.name;
  /** The config in words, from the policy's own summary ("60 per minute per consumer, in memory"). */
  const summary = (policy: Policy) => summarizePolicy(policy.type, policy.config, poolName) ?? "";

  const pointOf = (policy: Policy) =>
    points.find(
      (point) =>
        (point.ids.routeId ?? null) === policy.routeId &&
        (point.ids.consumerId ?? null) === policy.consumerId &&
        (point.ids.routeId || point.ids.consumerId ? true : (point.ids.apiId ?? null) === policy.apiId),
    );
  const here = (policies.data ?? []).filter((policy) => pointOf(policy) !== undefined);
  const isGlobal = (p: Policy) => p.apiId === null && p.routeId === null && p.consumerId === null;
  // Where the policies shown are the global ones, there is nothing "also applied" to mention.
  const global = points.some((point) => point.scope === "global") ? [] : (policies.data ?? []).filter(isGlobal);

  function save({ type, at, config }: PolicySubmit, fail: (error: unknown) => void) {
    create.mutate({ type, ...at.ids, config }, { onSuccess: () => setEditing(null), onError: fail });
  }

  return (
    <Section
      title={title}
      description={description}
      actions={
        <>
          <LiveStatus saving={create.isPending || update.isPending || remove.isPending} phase={live.phase} />
          {editing !== "new" ? (
            <button type="button" className="button button-small" onClick={() => setEditing("new")}>
              Add policy
            </button>
          ) : null}
        </>
      }
      flush
    >
      {editing === "new" ? (
        <div className="section-body" style={{ borderBottom: "1px solid var(--border)" }}>
          <PolicyForm points={points} pending={create.isPending} onCancel={() => setEditing(null)} onSubmit={save} />
        </div>
      ) : null}
      {policies.isPending ? <LoadingState label="Loading policies…" /> : null}
      {policies.isError ? <ErrorState error={policies.error} onRetry={() => void policies.refetch()} /> : null}
      {policies.isSuccess && here.length === 0 && editing !== "new" ? (
        <EmptyState title="No policies" icon="◇">
          {emptyText}
        </EmptyState>
      ) : null}
      {here.length > 0 ? (
        <table className="table">
          <tbody>
            {here.map((policy) =>
              editing === policy.id ? (
                <tr key={policy.id}>
                  <td colSpan={3}>
                    <PolicyForm
                      points={points}
                      initial={policy}
                      pending={update.isPending}
                      onCancel={() => setEditing(null)}
                      onSubmit={({ config }, fail) =>
                        update.mutate(
                          { id: policy.id, patch: { config } },
                          { onSuccess: () => setEditing(null), onError: fail },
                        )
                      }
                    />
                  </td>
                </tr>
              ) : (
                <tr key={policy.id}>
                  <td>
                    <div style={{ fontWeight: 500 }}>{titleOf(policy.type)}</div>
                    <div className="faint">
                      {[points.length > 1 ? pointOf(policy)?.label : null, summary(policy)].filter(Boolean).join(" · ")}
                    </div>
                  </td>
                  <td style={{ width: 1 }}>
                    <Switch
                      label={`${titleOf(policy.type)} enabled`}
                      checked={policy.enabled}
                      disabled={update.isPending}
                      onChange={(enabled) => update.mutate({ id: policy.id, patch: { enabled } })}
                    />
                  </td>
                  <td className="cell-actions">
                    <button
                      type="button"
                      className="button button-small button-ghost"
                      aria-label={`Edit ${titleOf(policy.type)}`}
                      onClick={() => setEditing(policy.id)}
                    >
                      Edit
                    </button>
                    <button
                      type="button"
                      className="button button-small button-ghost button-danger"
                      aria-label={`Remove ${titleOf(policy.type)}`}
                      onClick={() => removal.ask(policy)}
                    >
                      Remove
                    </button>
                  </td>
                </tr>
              ),
            )}
          </tbody>
        </table>
      ) : null}
      {global.length > 0 ? (
        <p className="section-body faint" style={{ borderTop: "1px solid var(--border)" }}>
          Also applied to every API: {global.map((p) => `${titleOf(p.type)}${p.enabled ? "" : " (off)"}`).join(", ")}. A
          policy of the same kind here takes its place.
        </p>
      ) : null}
      <ConfirmDialog title="Remove this policy?" confirmLabel="Remove policy" {...removal.dialogProps}>
        {removal.subject ? `The gateway stops applying ${titleOf(removal.subject.type)} here at once.` : null}
      </ConfirmDialog>
    </Section>
  );
}
