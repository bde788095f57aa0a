"use client";

import { useState } from "react";
import { DeleteButton } from "../ui/confirm-delete.tsx";
import { usePurgeCache } from "./use-apis.ts";

/** Drops the API's cached answers (proxy-cache) on every gateway, after a confirmation. */
export function PurgeCacheButton({ id, name }: { id: string; name: string }) {
  const [revision, setRevision] = useState<number | null>(null);
  const purge = usePurgeCache(id, setRevision);
  return (
    <div className="row">
      {revision === null ? null : (
        <span className="muted" role="status">
          Purged at revision {revision}
        </span>
      )}
      <DeleteButton label="Purge cache" title={`Purge ${name}'s cache?`} remove={purge} variables={undefined}>
        Every gateway drops the answers it cached for this API and asks the upstream again. Nothing else changes.
      </DeleteButton>
    </div>
  );
}
