"use client";

import { useId } from "react";
import { LiveStatus } from "../gateway/live-status.tsx";
import { useLiveRevision } from "../gateway/use-live-revision.ts";
import { Switch } from "../ui/switch.tsx";
import { useToggleApi } from "./use-apis.ts";

interface ApiToggleProps {
  id: string;
  name: string;
  enabled: boolean;
  /** The switch's accessible name; defaults to "<name> enabled". */
  label?: string;
}

/** The on/off switch of an API: optimistic, then follows the save until the gateway serves it. */
export function ApiToggle({ id, name, enabled, label }: ApiToggleProps) {
  const statusId = useId();
  const live = useLiveRevision();
  const toggle = useToggleApi(live.track);
  const error = toggle.isError ? `Could not save: ${toggle.error.message}` : undefined;

  return (
    <div className="toggle-cell">
      <div className="row">
        <Switch
          checked={enabled}
          label={label ?? `${name} enabled`}
          describedBy={statusId}
          disabled={toggle.isPending}
          onChange={(next) => {
            live.track(null);
            toggle.mutate({ id, enabled: next });
          }}
        />
        <span className="muted">{enabled ? "On" : "Off"}</span>
      </div>
      <LiveStatus id={statusId} saving={toggle.isPending} phase={live.phase} error={error} />
    </div>
  );
}
