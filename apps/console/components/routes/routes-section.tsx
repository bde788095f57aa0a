"use client";

import type { Route } from "@gatehouse/shared";
import { useState } from "react";
import { LiveStatus } from "../gateway/live-status.tsx";
import { useLiveRevision } from "../gateway/use-live-revision.ts";
import { useConfirmDelete } from "../ui/confirm-delete.tsx";
import { ConfirmDialog } from "../ui/confirm-dialog.tsx";
import { Section } from "../ui/section.tsx";
import { EmptyState } from "../ui/states.tsx";
import { RouteForm } from "./route-form.tsx";
import { RouteSummaryLine } from "./route-summary.tsx";
import { useRouteMutations } from "./use-routes.ts";

function routeDetails(route: Route): string {
  const parts = [route.stripPath ? "strip path" : "keep path"];
  if (route.rewritePath) parts.push(`rewrite to ${route.rewritePath}`);
  if (route.hosts.length) parts.push(`hosts ${route.hosts.join(", ")}`);
  if (route.priority !== 0) parts.push(`priority ${route.priority}`);
  return parts.join(" · ");
}

export function RoutesSection({ apiId, routes }: { apiId: string; routes: Route[] }) {
  const live = useLiveRevision();
  const { create, update, remove } = useRouteMutations(apiId, live.track);
  const [editing, setEditing] = useState<string | "new" | null>(null);
  const removal = useConfirmDelete({ remove, variables: (item: Route) => item.id });

  return (
    <Section
      title="Routes"
      description="Requests matching any route go to this API’s upstream."
      actions={
        <>
          <LiveStatus saving={create.isPending || update.isPending || remove.isPending} phase={live.phase} />
          {editing !== "new" ? (
            <button type="button" className="button button-small" onClick={() => setEditing("new")}>
              Add route
            </button>
          ) : null}
        </>
      }
      flush
    >
      {editing === "new" ? (
        <div className="section-body" style={{ borderBottom: "1px solid var(--border)" }}>
          <RouteForm
            pending={create.isPending}
            onCancel={() => setEditing(null)}
            onSubmit={(input, fail) => create.mutate(input, { onSuccess: () => setEditing(null), onError: fail })}
          />
        </div>
      ) : null}
      {routes.length === 0 && editing !== "new" ? (
        <EmptyState title="No routes" icon="↳">
          Without a route the gateway sends nothing to this API.
        </EmptyState>
      ) : (
        <table className="table">
          <tbody>
            {routes.map((route, index) =>
              editing === route.id ? (
                <tr key={route.id}>
                  <td colSpan={2}>
                    <RouteForm
                      initial={route}
                      pending={update.isPending}
                      onCancel={() => setEditing(null)}
                      onSubmit={(input, fail) =>
                        update.mutate({ id: route.id, input }, { onSuccess: () => setEditing(null), onError: fail })
                      }
                    />
                  </td>
                </tr>
              ) : (
                <tr key={route.id}>
                  <td>
                    {route.name ? <div style={{ fontWeight: 500 }}>{route.name}</div> : null}
                    <RouteSummaryLine route={route} />
                    <div className="faint">{routeDetails(route)}</div>
                  </td>
                  <td className="cell-actions">
                    <button
                      type="button"
                      className="button button-small button-ghost"
                      aria-label={`Edit route ${route.name ?? index + 1}`}
                      onClick={() => setEditing(route.id)}
                    >
                      Edit
                    </button>
                    <button
                      type="button"
                      className="button button-small button-ghost button-danger"
                      aria-label={`Delete route ${route.name ?? index + 1}`}
                      onClick={() => removal.ask(route)}
                    >
                      Delete
                    </button>
                  </td>
                </tr>
              ),
            )}
          </tbody>
        </table>
      )}
      <ConfirmDialog title="Delete this route?" confirmLabel="Delete route" {...removal.dialogProps}>
        {removal.subject ? `Requests to ${removal.subject.paths.join(", ")} stop reaching this API.` : null}
      </ConfirmDialog>
    </Section>
  );
}
