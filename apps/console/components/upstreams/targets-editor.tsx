"use client";

import type { Target, TargetHealth } from "@gatehouse/shared";
import { useState } from "react";
import { useConfirmDelete } from "../ui/confirm-delete.tsx";
import { ConfirmDialog } from "../ui/confirm-dialog.tsx";
import { EmptyState } from "../ui/states.tsx";
import { Switch } from "../ui/switch.tsx";
import { TargetForm } from "./target-form.tsx";
import { TargetHealthBadge } from "./target-health-badge.tsx";
import { useTargetMutations } from "./use-upstreams.ts";

interface TargetsEditorProps {
  upstreamId: string;
  targets: Target[];
  /** Live health by target id; absent while unknown (gateway unreachable or not loaded yet). */
  health: ReadonlyMap<string, TargetHealth>;
  onSaved: (revision: number | null) => void;
}

/** The targets of a pool: add, edit, switch on/off and remove, one request each. */
export function TargetsEditor({ upstreamId, targets, health, onSaved }: TargetsEditorProps) {
  const { create, update, remove } = useTargetMutations(upstreamId, onSaved);
  const [editing, setEditing] = useState<string | "new" | null>(null);
  const removal = useConfirmDelete({ remove, variables: (item: Target) => item.id });

  return (
    <>
      {targets.length === 0 ? (
        <EmptyState title="No targets" icon="◎">
          Requests to this pool fail with 503 until it has an enabled target.
        </EmptyState>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">URL</th>
              <th scope="col">Weight</th>
              <th scope="col">Enabled</th>
              <th scope="col">Health</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {targets.map((target) =>
              editing === target.id ? (
                <tr key={target.id}>
                  <td colSpan={5}>
                    <TargetForm
                      initial={target}
                      pending={update.isPending}
                      onCancel={() => setEditing(null)}
                      onSubmit={(patch, fail) =>
                        update.mutate({ id: target.id, patch }, { onSuccess: () => setEditing(null), onError: fail })
                      }
                    />
                  </td>
                </tr>
              ) : (
                <tr key={target.id}>
                  <td>
                    <code>{target.url}</code>
                  </td>
                  <td>{target.weight}</td>
                  <td>
                    <Switch
                      checked={target.enabled}
                      label={`${target.url} enabled`}
                      disabled={update.isPending && update.variables?.id === target.id}
                      onChange={(enabled) => update.mutate({ id: target.id, patch: { enabled } })}
                    />
                  </td>
                  <td>
                    <TargetHealthBadge health={health.get(target.id)} />
                  </td>
                  <td className="cell-actions">
                    <button
                      type="button"
                      className="button button-small button-ghost"
                      aria-label={`Edit target ${target.url}`}
                      onClick={() => setEditing(target.id)}
                    >
                      Edit
                    </button>
                    <button
                      type="button"
                      className="button button-small button-ghost button-danger"
                      aria-label={`Remove target ${target.url}`}
                      onClick={() => removal.ask(target)}
                    >
                      Remove
                    </button>
                  </td>
                </tr>
              ),
            )}
          </tbody>
        </table>
      )}
      {update.isError && editing === null ? (
        <p className="field-error section-body" role="alert">
          Could not update the target: {update.error.message}
        </p>
      ) : null}
      <div className="section-body" style={{ borderTop: targets.length ? "1px solid var(--border)" : undefined }}>
        {editing === "new" ? (
          <TargetForm
            pending={create.isPending}
            onCancel={() => setEditing(null)}
            onSubmit={(input, fail) => create.mutate(input, { onSuccess: () => setEditing(null), onError: fail })}
          />
        ) : (
          <button type="button" className="button button-small" onClick={() => setEditing("new")}>
            Add target
          </button>
        )}
      </div>
      <ConfirmDialog title="Remove this target?" confirmLabel="Remove target" {...removal.dialogProps}>
        {removal.subject ? `Traffic stops going to ${removal.subject.url} as soon as the gateway reloads.` : null}
      </ConfirmDialog>
    </>
  );
}
