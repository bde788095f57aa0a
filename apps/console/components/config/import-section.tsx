"use client";

import Link from "next/link";
import { type ChangeEvent, useState } from "react";
import { isRevisionMismatch } from "@/lib/api-client.ts";
import { LiveStatus } from "../gateway/live-status.tsx";
import { useLiveRevision } from "../gateway/use-live-revision.ts";
import { Banner } from "../ui/banner.tsx";
import { CheckboxField } from "../ui/checkbox-field.tsx";
import { Section } from "../ui/section.tsx";
import { TextareaField } from "../ui/textarea-field.tsx";
import { ChangesTable } from "./changes-table.tsx";
import { FileErrors } from "./field-errors.tsx";
import { appliedText, summaryText } from "./plan-summary.ts";
import { useConfigApply, useConfigDiff } from "./use-config.ts";

/** A config file in, previewed as the changes it makes, then applied against the revision it was previewed at. */
export function ImportSection() {
  const [text, setText] = useState("");
  const [prune, setPrune] = useState(true);
  const diff = useConfigDiff();
  const apply = useConfigApply();
  const live = useLiveRevision();
  const plan = diff.data;
  const applied = apply.data;
  const input = { config: text, prune };

  const edit = (next: string) => {
    setText(next);
    diff.reset();
    apply.reset();
  };
  const pick = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    if (file) edit(await file.text());
  };
  const preview = () => {
    apply.reset();
    diff.mutate(input);
  };
  const confirm = () => {
    if (!plan) return;
    apply.mutate(
      { input, previewedAt: plan.revision },
      { onSuccess: (result) => live.track(result.applied ? result.revision : null) },
    );
  };

  return (
    <Section
      title="Import a config file"
      description="Preview what a file changes, then apply it as one revision. Objects are matched by id, else by name."
    >
      <div className="stack">
        <label className="row">
          <span>Config file (YAML or JSON)</span>
          <input type="file" accept=".yaml,.yml,.json,application/json,application/yaml" onChange={pick} />
        </label>
        <TextareaField
          id="config-text"
          label="Or paste the file"
          rows={12}
          value={text}
          onChange={(event) => edit(event.target.value)}
        />
        <CheckboxField
          id="config-prune"
          label="Delete what the file leaves out"
          hint="Unticked, the file only creates and updates; objects it does not name are left alone."
          checked={prune}
          onChange={(checked) => {
            setPrune(checked);
            diff.reset();
            apply.reset();
          }}
        />
        {diff.error ? <FileErrors title="The file was not previewed." error={diff.error} text={text} /> : null}
        {isRevisionMismatch(apply.error) ? (
          <Banner tone="warning" title="The config changed since the preview.">
            Someone saved a change after this preview, so it was not applied.{" "}
            <button type="button" className="button button-small" onClick={preview}>
              Preview again
            </button>
          </Banner>
        ) : apply.error ? (
          <FileErrors title="The file was not applied." error={apply.error} text={text} />
        ) : null}
        <div className="row">
          <button type="button" className="button" disabled={!text.trim() || diff.isPending} onClick={preview}>
            {diff.isPending ? "Previewing…" : "Preview"}
          </button>
          <button
            type="button"
            className="button button-primary"
            disabled={!plan || plan.changes.length === 0 || apply.isPending || applied !== undefined}
            onClick={confirm}
          >
            {apply.isPending ? "Applying…" : "Apply"}
          </button>
          {applied ? (
            <>
              <span role="status">
                {applied.applied ? (
                  <Link href={`/history/${applied.revision}`}>{appliedText(applied)}</Link>
                ) : (
                  appliedText(applied)
                )}
              </span>
              <LiveStatus saving={false} phase={live.phase} />
            </>
          ) : null}
        </div>
        {plan && !applied ? (
          <p role="status">
            {plan.changes.length === 0
              ? "The config already matches this file: nothing to apply."
              : `Applying this file will ${summaryText(plan.summary)}.`}
          </p>
        ) : null}
        {plan && plan.changes.length > 0 ? <ChangesTable changes={plan.changes} /> : null}
      </div>
    </Section>
  );
}
