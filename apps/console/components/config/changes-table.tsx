import type { ConfigChange } from "@gatehouse/shared";
import { KIND_LABELS } from "../history/object-href.ts";
import { ObjectName } from "../history/object-links.tsx";

const ACTION_TONE = { create: "badge badge-success", update: "badge badge-warning", delete: "badge badge-danger" };

/** What a plan changes, object by object: the preview of an import or of a rollback. */
export function ChangesTable({ changes }: { changes: ConfigChange[] }) {
  return (
    <table className="table table-compact">
      <thead>
        <tr>
          <th scope="col">Action</th>
          <th scope="col">Kind</th>
          <th scope="col">Name</th>
          <th scope="col">Changed fields</th>
        </tr>
      </thead>
      <tbody>
        {changes.map((change) => (
          <tr key={`${change.action}:${change.kind}:${change.id ?? change.name}`}>
            <td>
              <span className={ACTION_TONE[change.action]}>{change.action}</span>
            </td>
            <td className="muted">{KIND_LABELS[change.kind]}</td>
            <td>
              {/* A preview's new objects do not exist yet, and its deleted ones no longer after: only an update has a page. */}
              {change.id && change.action === "update" ? (
                <ObjectName object={{ ...change, id: change.id }} />
              ) : (
                change.name
              )}
            </td>
            <td className="cell-path">
              {change.fields.length > 0 ? <code>{change.fields.join(", ")}</code> : <span className="faint">—</span>}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
