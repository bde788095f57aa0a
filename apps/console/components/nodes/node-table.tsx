"use client";

import type { GatewayNode } from "@gatehouse/shared";
import { sinceLabel } from "@/lib/since-label.ts";
import { formatRate } from "../analytics/format.ts";
import { Section } from "../ui/section.tsx";
import { EmptyState, ErrorState, LoadingState } from "../ui/states.tsx";
import { TOKEN_PLACEHOLDER } from "./node-command.ts";
import { NodeStatusBadge } from "./node-status-badge.tsx";
import { RunNodeSteps } from "./run-node-steps.tsx";
import { useNodes } from "./use-nodes.ts";

function revisionLabel(served: number | null, current: number): string {
  if (served === null) return "none yet";
  const lag = current - served;
  return lag <= 0 ? `${served} (current)` : `${served} (${lag} behind)`;
}

/** Every node that followed this console, refreshed as often as the live charts. */
export function NodeTable() {
  const nodes = useNodes();

  return (
    <Section
      title="Nodes"
      description="Gateways on other hosts that take their config from this console and send their traffic back to it."
      flush
    >
      {nodes.isPending ? (
        <LoadingState label="Loading nodes…" />
      ) : nodes.isError ? (
        <ErrorState title="Could not load the nodes" error={nodes.error} onRetry={() => void nodes.refetch()} />
      ) : nodes.data.data.length === 0 ? (
        <EmptyState title="No nodes yet" icon="⇄" action={<RunNodeSteps token={TOKEN_PLACEHOLDER} />}>
          The gateway beside this console serves its config already. To serve it from more hosts, create a node token
          below, then:
        </EmptyState>
      ) : (
        <NodeRows nodes={nodes.data.data} revision={nodes.data.revision} fetchedAt={nodes.dataUpdatedAt} />
      )}
    </Section>
  );
}

function NodeRows({ nodes, revision, fetchedAt }: { nodes: GatewayNode[]; revision: number; fetchedAt: number }) {
  const dropping = nodes.some((node) => node.droppedRequests > 0);
  return (
    <>
      <table className="table">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Address</th>
            <th scope="col">Version</th>
            <th scope="col">Revision</th>
            <th scope="col">Last seen</th>
            <th scope="col" className="num">
              Requests/s
            </th>
            {dropping ? (
              <th scope="col" className="num">
                Dropped analytics
              </th>
            ) : null}
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {nodes.map((node) => (
            <tr key={node.id}>
              <td title={node.id}>{node.name}</td>
              <td className="mono">{node.address || <span className="faint">—</span>}</td>
              <td className="mono">{node.version || <span className="faint">—</span>}</td>
              <td className="nowrap">{revisionLabel(node.revision, revision)}</td>
              <td className="muted nowrap" title={new Date(node.lastSeenAt).toLocaleString()}>
                {/* Measured from the fetch that brought the row, so the label moves on at every refresh. */}
                {node.connected ? "connected" : `${sinceLabel(node.lastSeenAt, fetchedAt)} ago`}
              </td>
              <td className="num">{formatRate(node.requestsPerSecond)}</td>
              {dropping ? (
                <td className="num">
                  {node.droppedRequests > 0 ? node.droppedRequests.toLocaleString() : <span className="faint">—</span>}
                </td>
              ) : null}
              <td>
                <NodeStatusBadge status={node.status} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {dropping ? (
        <p className="hint section-body">
          Dropped analytics: requests a node served while it could not reach the console, past what its buffer holds.
          They were answered, but are missing from the charts, usage counts and request log.
        </p>
      ) : null}
    </>
  );
}
