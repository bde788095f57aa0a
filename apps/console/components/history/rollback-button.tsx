"use client";

import { useState } from "react";
import { isRevisionMismatch } from "@/lib/api-client.ts";
import { ChangesTable } from "../config/changes-table.tsx";
import { FileErrors } from "../config/field-errors.tsx";
import { summaryText } from "../config/plan-summary.ts";
import { LiveStatus } from "../gateway/live-status.tsx";
import { useLiveRevision } from "../gateway/use-live-revision.ts";
import { Banner } from "../ui/banner.tsx";
import { Dialog } from "../ui/dialog.tsx";
import { LoadingState } from "../ui/states.tsx";
import { useRollback, useRollbackPreview } from "./use-history.ts";

/** "Roll back to this revision": a dry run first, then the rollback made against the revision it was previewed at. */
export function RollbackButton({ revision }: { revision: number }) {
  const [open, setOpen] = useState(false);
  const [done, setDone] = useState<number | "unchanged" | null>(null);
  const preview = useRollbackPreview(revision);
  const rollback = useRollback(revision);
  const live = useLiveRevision();
  const plan = preview.data;
  const nothing = plan !== undefined && plan.changes.length === 0;

  const ask = () => {
    rollback.reset();
    setDone(null);
    setOpen(true);
    preview.mutate();
  };
  const confirm = () => {
    if (!plan) return;
    rollback.mutate(plan.revision, {
      onSuccess: (result) => {
        setOpen(false);
        setDone(result.applied ? result.revision : "unchanged");
        live.track(result.applied ? result.revision : null);
      },
    });
  };

  return (
    <>
      <div className="row">
        {done === null ? null : (
          <span role="status">
            {done === "unchanged"
              ? `Nothing to roll back: the config is as it was at revision ${revision}`
              : `Rolled back to revision ${revision} as revision ${done}`}
          </span>
        )}
        {typeof done === "number" ? <LiveStatus saving={false} phase={live.phase} /> : null}
        <button type="button" className="button button-danger" onClick={ask}>
          Roll back to this revision
        </button>
      </div>
      <Dialog open={open} title={`Roll back to revision ${revision}?`} onClose={() => setOpen(false)} wide>
        <div className="stack">
          {preview.isPending ? <LoadingState label="Working out what would change…" /> : null}
          {preview.isError ? <FileErrors title="Could not preview the rollback." error={preview.error} /> : null}
          {plan ? (
            <p>
              {nothing
                ? `The config is already as it was at revision ${revision}: nothing would change.`
                : `The whole config goes back to how it was at revision ${revision}, as a new revision. This will ${summaryText(plan.summary)}.`}
            </p>
          ) : null}
          {plan && !nothing ? <ChangesTable changes={plan.changes} /> : null}
          {isRevisionMismatch(rollback.error) ? (
            <Banner tone="warning" title="The config changed since this preview.">
              Preview again to see what rolling back does now.{" "}
              <button type="button" className="button button-small" onClick={ask}>
                Preview again
              </button>
            </Banner>
          ) : rollback.error ? (
            <FileErrors title="The rollback failed." error={rollback.error} />
          ) : null}
          <div className="form-actions">
            <button type="button" className="button" onClick={() => setOpen(false)} disabled={rollback.isPending}>
              Cancel
            </button>
            <button
              type="button"
              className="button button-danger-solid"
              onClick={confirm}
              disabled={!plan || nothing || preview.isPending || rollback.isPending || rollback.isError}
            >
              {rollback.isPending ? "Rolling back…" : "Roll back"}
            </button>
          </div>
        </div>
      </Dialog>
    </>
  );
}
