"use client";

import { findPolicySchema } from "@gatehouse/policies/schemas";
import type { Policy } from "@gatehouse/shared";
import { useState } from "react";
import { LiveStatus } from "../gateway/live-status.tsx";
import { useLiveRevision } from "../gateway/use-live-revision.ts";
import { ConfirmDialog } from "../ui/confirm-dialog.tsx";
import { Section } from "../ui/section.tsx";
import { EmptyState, ErrorState, LoadingState } from "../ui/states.tsx";
import { Switch } from "../ui/switch.tsx";
import { type AttachPoint, PolicyForm, type PolicySubmit } from "./policy-form.tsx";
import { usePolicies, usePolicyMutations } from "./use-policies.ts";

const titleOf = (type: string) => findPolicySchema(type)?.title ?? type;

/** A short reading of a config for the list: `header x-api-key · acceptBearer on`. */
function summary(config: Record<string, unknown>): string {
  return Object.entries(config)
    .filter(([, value]) => value !== "" && !(Array.isArray(value) && value.length === 0))
    .map(([key, value]) => {
      if (typeof value === "boolean") return `${key} ${value ? "on" : "off"}`;
      if (typeof value === "object" && value !== null) {
        const text = Array.isArray(value)
          ? value.join(", ")
          : Object.entries(value)
              .map(([k, v]) => `${v}/${k}`)
              .join(", ");
        return `${key} ${text}`;
      }
      return `${key} ${String(value)}`;
    })
    .join(" · ");
}

interface PoliciesSectionProps {
  /** Where a new policy may go; the first is the default. */
  points: AttachPoint[];
  description: string;
  /** What having no policy here means, for the empty state. */
  emptyText: string;
}

/** The policies attached at these places: listed, switched on and off, added, edited, removed. */
export function PoliciesSection({ points, description, emptyText }: PoliciesSectionProps) {
  const live = useLiveRevision();
  const policies = usePolicies();
  const { create, update, remove } = usePolicyMutations(live.track);
  const [editing, setEditing] = useState<string | "new" | null>(null);
  const [removing, setRemoving] = useState<Policy | null>(null);

  const pointOf = (policy: Policy) =>
    points.find(
      (point) =>
        (point.ids.routeId ?? null) === policy.routeId &&
        (point.ids.consumerId ?? null) === policy.consumerId &&
        (point.ids.routeId || point.ids.consumerId ? true : (point.ids.apiId ?? null) === policy.apiId),
    );
  const here = (policies.data ?? []).filter((policy) => pointOf(policy) !== undefined);
  const global = (policies.data ?? []).filter((p) => p.apiId === null && p.routeId === null && p.consumerId === null);

  function save({ type, at, config }: PolicySubmit, fail: (error: unknown) => void) {
    create.mutate({ type, ...at.ids, config }, { onSuccess: () => setEditing(null), onError: fail });
  }

  return (
    <Section
      title="Policies"
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
                      {pointOf(policy)?.label} · {summary(policy.config) || "defaults"}
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
                      onClick={() => {
                        remove.reset();
                        setRemoving(policy);
                      }}
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
      <ConfirmDialog
        open={removing !== null}
        title="Remove this policy?"
        confirmLabel="Remove policy"
        pending={remove.isPending}
        error={remove.isError ? remove.error.message : undefined}
        onCancel={() => setRemoving(null)}
        onConfirm={() => removing && remove.mutate(removing.id, { onSuccess: () => setRemoving(null) })}
      >
        {removing ? `The gateway stops applying ${titleOf(removing.type)} here at once.` : null}
      </ConfirmDialog>
    </Section>
  );
}
