"use client";

import type { NodeToken } from "@gatehouse/shared";
import { useConfirmDelete } from "../ui/confirm-delete.tsx";
import { ConfirmDialog } from "../ui/confirm-dialog.tsx";
import { Section } from "../ui/section.tsx";
import { EmptyState, ErrorState, LoadingState } from "../ui/states.tsx";
import { useDialog } from "../ui/use-dialog.ts";
import { NewNodeTokenDialog } from "./new-node-token-dialog.tsx";
import { useNodeTokenMutations, useNodeTokens } from "./use-nodes.ts";

const time = (iso: string) => new Date(iso).toLocaleString();

/** The tokens nodes follow this console with; each is shown once and can be revoked. */
export function NodeTokensSection() {
  const tokens = useNodeTokens();
  const { create, revoke } = useNodeTokenMutations();
  const creating = useDialog<true>();
  const revocation = useConfirmDelete({ remove: revoke, variables: (token: NodeToken) => token.id });

  return (
    <Section
      title="Node tokens"
      description="A node presents one to follow this console. A token is shown once, when it is created."
      actions={
        <button
          type="button"
          className="button button-small button-primary"
          onClick={() => {
            create.reset();
            creating.open(true);
          }}
        >
          New node token
        </button>
      }
      flush
    >
      {tokens.isPending ? (
        <LoadingState label="Loading node tokens…" />
      ) : tokens.isError ? (
        <ErrorState title="Could not load the node tokens" error={tokens.error} onRetry={() => void tokens.refetch()} />
      ) : tokens.data.length === 0 ? (
        <EmptyState title="No node tokens yet" icon="⚷">
          Create one for each group of nodes, e.g. a region: revoking it cuts off those nodes and no others.
        </EmptyState>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Token</th>
              <th scope="col">Created</th>
              <th scope="col">Revoked</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {tokens.data.map((token) => (
              <tr key={token.id}>
                <td>{token.name}</td>
                <td className="mono">{token.prefix}…</td>
                <td className="muted">{time(token.createdAt)}</td>
                <td className="muted">
                  {token.revokedAt ? (
                    <>
                      <span className="badge badge-danger">revoked</span> {time(token.revokedAt)}
                    </>
                  ) : (
                    "—"
                  )}
                </td>
                <td className="cell-actions">
                  {token.revokedAt ? null : (
                    <button
                      type="button"
                      className="button button-small button-ghost button-danger"
                      aria-label={`Revoke node token ${token.name}`}
                      onClick={() => revocation.ask(token)}
                    >
                      Revoke
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <NewNodeTokenDialog open={creating.isOpen} create={create} onClose={() => create.isPending || creating.close()} />
      <ConfirmDialog
        title={revocation.subject ? `Revoke node token ${revocation.subject.name}?` : "Revoke node token?"}
        confirmLabel="Revoke token"
        {...revocation.dialogProps}
      >
        Nodes using it keep serving the config they have, but the console refuses them new config and their traffic
        reports, so their traffic stops showing here. Start them with a new token to bring them back. This cannot be
        undone.
      </ConfirmDialog>
    </Section>
  );
}
