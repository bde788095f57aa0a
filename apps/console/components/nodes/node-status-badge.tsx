import type { NodeStatus } from "@gatehouse/shared";

const STATUS: Record<NodeStatus, { tone: string; title: string }> = {
  live: {
    tone: "badge-success",
    title: "Heard from lately, serving the console’s current revision or the one before it",
  },
  behind: {
    tone: "badge-warning",
    title: "Heard from lately, but serving a config more than one revision older than the console’s, or none yet",
  },
  gone: {
    tone: "badge-danger",
    title: "Not heard from for a while: stopped, cut off from the console, or its token was revoked",
  },
};

export function NodeStatusBadge({ status }: { status: NodeStatus }) {
  const { tone, title } = STATUS[status];
  return (
    <span className={`badge ${tone}`} title={title}>
      {status}
    </span>
  );
}
