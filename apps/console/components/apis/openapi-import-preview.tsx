import type { ConfigPlan } from "@gatehouse/shared";
import { otherChanges, routeChanges } from "./openapi-import-changes.ts";

/** A dry run's answer: what the import would do to the API's routes, and to anything else. */
export function OpenApiImportPreview({ plan }: { plan: ConfigPlan }) {
  const routes = routeChanges(plan);
  const other = otherChanges(plan);
  if (plan.changes.length === 0) {
    return (
      <p className="muted" role="status">
        Nothing to change: the API already is as the document describes it.
      </p>
    );
  }
  return (
    <div className="stack" role="status" aria-label="Import preview">
      {other.length > 0 ? (
        <ul>
          {other.map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      ) : null}
      {routes.length > 0 ? (
        <table className="table">
          <caption className="visually-hidden">Route changes</caption>
          <thead>
            <tr>
              <th>Route</th>
              <th>Request</th>
              <th>Change</th>
            </tr>
          </thead>
          <tbody>
            {routes.map((route) => (
              <tr key={`${route.action} ${route.name}`}>
                <td>{route.name}</td>
                <td>
                  <code>
                    {route.methods.join(", ")} {route.paths.join(", ")}
                  </code>
                </td>
                <td>{route.action}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}
