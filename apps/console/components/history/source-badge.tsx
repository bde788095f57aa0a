import type { RevisionSource } from "@gatehouse/shared";

const LABELS: Record<RevisionSource, string> = {
  console: "console",
  api: "Admin API",
  file: "config file",
  rollback: "rollback",
  openapi: "OpenAPI",
};

/** Where a revision came from; a rollback stands out, being a change nobody typed. */
export function SourceBadge({ source }: { source: RevisionSource }) {
  return <span className={source === "rollback" ? "badge badge-warning" : "badge"}>{LABELS[source]}</span>;
}
