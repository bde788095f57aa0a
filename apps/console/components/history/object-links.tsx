import type { RevisionSummary } from "@gatehouse/shared";
import Link from "next/link";
import { KIND_LABELS, objectHref } from "./object-href.ts";

type ChangedObject = RevisionSummary["objects"][number];

/** The objects a revision changed, each linked to its page while it still has one. */
export function ObjectLinks({ objects }: { objects: ChangedObject[] }) {
  if (objects.length === 0) return <span className="faint">No config objects</span>;
  return (
    <ul className="object-links">
      {objects.map((object) => (
        <li key={`${object.kind}:${object.id}`}>
          <span className="badge">{object.action}</span> <span className="muted">{KIND_LABELS[object.kind]}</span>{" "}
          <ObjectName object={object} />
        </li>
      ))}
    </ul>
  );
}

export function ObjectName({ object }: { object: Pick<ChangedObject, "kind" | "id" | "name" | "action"> }) {
  const href = object.action === "delete" ? null : objectHref(object.kind, object.id);
  return href ? <Link href={href}>{object.name}</Link> : <span>{object.name}</span>;
}
