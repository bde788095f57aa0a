"use client";

import type { ApiKey } from "@gatehouse/shared";
import { useConfirmDelete } from "../ui/confirm-delete.tsx";
import { ConfirmDialog } from "../ui/confirm-dialog.tsx";
import { Section } from "../ui/section.tsx";
import { EmptyState, ErrorState, LoadingState } from "../ui/states.tsx";
import { useDialog } from "../ui/use-dialog.ts";
import { IssueKeyDialog } from "./issue-key-dialog.tsx";
import { keyLabel } from "./key-label.ts";
import { RotateKeyDialog } from "./rotate-key-dialog.tsx";
import { useKeyMutations, useKeys } from "./use-consumers.ts";

const STATUS_TONE: Record<ApiKey["status"], string> = {
  active: "badge-success",
  expired: "badge-warning",
  revoked: "badge-danger",
};

const time = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : "—");

export function KeysSection({ consumerId, consumerName }: { consumerId: string; consumerName: string }) {
  const keys = useKeys(consumerId);
  const { issue, revoke, rotate } = useKeyMutations(consumerId);
  const issuing = useDialog<true>();
  const revocation = useConfirmDelete({ remove: revoke, variables: (item: ApiKey) => item.id });
  const rotating = useDialog<ApiKey>();

  return (
    <Section
      title="API keys"
      description={`Callers send one of these to act as ${consumerName}. A key is shown once, when it is issued.`}
      actions={
        <button
          type="button"
          className="button button-small button-primary"
          onClick={() => {
            issue.reset();
            issuing.open(true);
          }}
        >
          Issue key
        </button>
      }
      flush
    >
      {keys.isPending ? (
        <LoadingState label="Loading keys…" />
      ) : keys.isError ? (
        <ErrorState error={keys.error} onRetry={() => void keys.refetch()} />
      ) : keys.data.length === 0 ? (
        <EmptyState title="No keys yet" icon="⚷">
          Issue a key and hand it to {consumerName}; it goes in each request’s x-api-key header.
        </EmptyState>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Key</th>
              <th scope="col">Status</th>
              <th scope="col">Created</th>
              <th scope="col">Expires</th>
              <th scope="col">Last used</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {keys.data.map((key) => {
              const labelId = `key-row-${key.id}`;
              return (
                <tr key={key.id}>
                  <td>
                    {key.name || <span className="faint">Unnamed</span>}
                    <span id={labelId} hidden>
                      {keyLabel(key)}
                    </span>
                  </td>
                  <td className="mono">{key.prefix}…</td>
                  <td>
                    <span className={`badge ${STATUS_TONE[key.status]}`}>{key.status}</span>
                  </td>
                  <td className="muted">{time(key.createdAt)}</td>
                  <td className="muted">{time(key.expiresAt)}</td>
                  <td className="muted">{time(key.lastUsedAt)}</td>
                  <td className="cell-actions">
                    {key.status === "active" ? (
                      <>
                        <button
                          type="button"
                          className="button button-small button-ghost"
                          aria-describedby={labelId}
                          onClick={() => {
                            rotate.reset();
                            rotating.open(key);
                          }}
                        >
                          Rotate
                        </button>
                        <button
                          type="button"
                          className="button button-small button-ghost button-danger"
                          aria-describedby={labelId}
                          onClick={() => revocation.ask(key)}
                        >
                          Revoke
                        </button>
                      </>
                    ) : null}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <IssueKeyDialog open={issuing.isOpen} issue={issue} onClose={() => issue.isPending || issuing.close()} />
      <RotateKeyDialog apiKey={rotating.subject} rotate={rotate} onClose={() => rotate.isPending || rotating.close()} />
      <ConfirmDialog
        title={revocation.subject ? `Revoke ${keyLabel(revocation.subject)}?` : "Revoke key?"}
        confirmLabel="Revoke key"
        {...revocation.dialogProps}
      >
        Requests with this key are refused at once. This cannot be undone.
      </ConfirmDialog>
    </Section>
  );
}
