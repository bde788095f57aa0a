import type { Route } from "@gatehouse/shared";

export function RouteSummaryLine({ route }: { route: Route }) {
  return (
    <div className="route-line">
      {route.methods.length === 0 ? (
        <span className="badge">ANY</span>
      ) : (
        route.methods.map((method) => (
          <span key={method} className="badge">
            {method}
          </span>
        ))
      )}
      <code>{route.paths.join(", ")}</code>
      {route.pathType === "exact" ? <span className="faint">exact</span> : null}
    </div>
  );
}

/** Routes as "methods + paths", one line each, at most three. */
export function RouteSummary({ routes }: { routes: Route[] }) {
  if (routes.length === 0) return <span className="faint">No routes</span>;
  const shown = routes.slice(0, 3);
  return (
    <div>
      {shown.map((route) => (
        <RouteSummaryLine key={route.id} route={route} />
      ))}
      {routes.length > shown.length ? <span className="faint">+{routes.length - shown.length} more</span> : null}
    </div>
  );
}
