"use client";

import type { Plan } from "@gatehouse/shared";
import Link from "next/link";
import { useState } from "react";
import { historyHref } from "../history/object-href.ts";
import { useConfirmDelete } from "../ui/confirm-delete.tsx";
import { ConfirmDialog } from "../ui/confirm-dialog.tsx";
import { PageHeader } from "../ui/page-header.tsx";
import { Section } from "../ui/section.tsx";
import { EmptyState, ErrorState, LoadingState } from "../ui/states.tsx";
import { PlanForm } from "./plan-form.tsx";
import { describeCounts, usePlanMutations, usePlans } from "./use-plans.ts";

export function PlansView() {
  const plans = usePlans();
  const { create, update, remove } = usePlanMutations();
  const [editing, setEditing] = useState<string | "new" | null>(null);
  const removal = useConfirmDelete({ remove, variables: (item: Plan) => item.id });

  return (
    <>
      <PageHeader
        title="Plans"
        description="Named bundles of rate limits and quotas (Free, Pro) that consumers belong to."
        actions={
          editing !== "new" ? (
            <button type="button" className="button button-primary" onClick={() => setEditing("new")}>
              New plan
            </button>
          ) : null
        }
      />
      {editing === "new" ? (
        <Section title="New plan">
          <PlanForm
            pending={create.isPending}
            onCancel={() => setEditing(null)}
            onSubmit={(input, fail) => create.mutate(input, { onSuccess: () => setEditing(null), onError: fail })}
          />
        </Section>
      ) : null}
      <Section title="All plans" flush>
        {plans.isPending ? <LoadingState label="Loading plans…" /> : null}
        {plans.isError ? <ErrorState error={plans.error} onRetry={() => void plans.refetch()} /> : null}
        {plans.isSuccess && plans.data.length === 0 ? (
          <EmptyState title="No plans yet" icon="☰">
            Without plans, rate-limit and quota policies use their own numbers for every consumer.
          </EmptyState>
        ) : null}
        {plans.isSuccess && plans.data.length > 0 ? (
          <table className="table">
            <thead>
              <tr>
                <th>Name</th>
                <th>Rate limits</th>
                <th>Quota</th>
                <th>
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {plans.data.map((plan) =>
                editing === plan.id ? (
                  <tr key={plan.id}>
                    <td colSpan={4}>
                      <PlanForm
                        initial={plan}
                        pending={update.isPending}
                        onCancel={() => setEditing(null)}
                        onSubmit={(input, fail) =>
                          update.mutate({ id: plan.id, input }, { onSuccess: () => setEditing(null), onError: fail })
                        }
                      />
                    </td>
                  </tr>
                ) : (
                  <tr key={plan.id}>
                    <td>
                      <div style={{ fontWeight: 500 }}>{plan.name}</div>
                      {plan.description ? <div className="faint">{plan.description}</div> : null}
                    </td>
                    <td>{describeCounts(plan.limits)}</td>
                    <td>{describeCounts(plan.quota)}</td>
                    <td className="cell-actions">
                      <Link
                        className="button button-small button-ghost"
                        aria-label={`History of plan ${plan.name}`}
                        href={historyHref(plan.id, "plan")}
                      >
                        History
                      </Link>
                      <button
                        type="button"
                        className="button button-small button-ghost"
                        aria-label={`Edit plan ${plan.name}`}
                        onClick={() => setEditing(plan.id)}
                      >
                        Edit
                      </button>
                      <button
                        type="button"
                        className="button button-small button-ghost button-danger"
                        aria-label={`Delete plan ${plan.name}`}
                        onClick={() => removal.ask(plan)}
                      >
                        Delete
                      </button>
                    </td>
                  </tr>
                ),
              )}
            </tbody>
          </table>
        ) : null}
      </Section>
      <ConfirmDialog
        title={`Delete plan ${removal.subject?.name ?? ""}?`}
        confirmLabel="Delete plan"
        {...removal.dialogProps}
      >
        A plan that consumers are on cannot be deleted; move them to another plan first.
      </ConfirmDialog>
    </>
  );
}
