"use client";

import { rowKey } from "@/lib/form-values.ts";
import { Fieldset } from "../ui/field.tsx";
import { TextField } from "../ui/text-field.tsx";

export interface TargetRow {
  key: string;
  url: string;
  weight: string;
}

export const newTargetRow = (): TargetRow => ({ key: rowKey(), url: "", weight: "100" });

interface TargetRowsFieldProps {
  idPrefix: string;
  hint?: string | undefined;
  weightHint?: string | undefined;
  rows: TargetRow[];
  onChange: (rows: TargetRow[], changed: string) => void;
  onBlur: (path: string) => void;
  errorFor: (path: string) => string | undefined;
  listError?: string | undefined;
}

/** Target URL + weight rows for a new upstream; paths are `targets.N.url` / `targets.N.weight`. */
export function TargetRowsField({
  idPrefix,
  hint,
  weightHint,
  rows,
  onChange,
  onBlur,
  errorFor,
  listError,
}: TargetRowsFieldProps) {
  const update = (index: number, patch: Partial<TargetRow>, path: string) =>
    onChange(
      rows.map((row, i) => (i === index ? { ...row, ...patch } : row)),
      path,
    );
  return (
    <Fieldset id={idPrefix} legend="Targets" hint={hint} error={listError}>
      <div className="list-rows">
        <div className="list-row hint" aria-hidden="true">
          <span style={{ flex: 1 }}>URL</span>
          <span style={{ flex: "0 0 110px" }}>Weight</span>
          {rows.length > 1 ? <span style={{ width: 74 }} /> : null}
        </div>
        {rows.map((row, index) => (
          <div className="list-row" key={row.key}>
            <TextField
              id={`${idPrefix}-${index}-url`}
              label={`Target URL ${index + 1}`}
              hideLabel
              mono
              type="url"
              placeholder="http://localhost:9000"
              value={row.url}
              error={errorFor(`${index}.url`)}
              onChange={(event) => update(index, { url: event.target.value }, `${index}.url`)}
              onBlur={() => onBlur(`${index}.url`)}
            />
            <TextField
              id={`${idPrefix}-${index}-weight`}
              label={`Weight ${index + 1}`}
              hideLabel
              fieldClassName="narrow"
              type="number"
              inputMode="numeric"
              min={0}
              max={1000}
              title={weightHint}
              value={row.weight}
              error={errorFor(`${index}.weight`)}
              onChange={(event) => update(index, { weight: event.target.value }, `${index}.weight`)}
              onBlur={() => onBlur(`${index}.weight`)}
            />
            {rows.length > 1 ? (
              <button
                type="button"
                className="button button-ghost"
                aria-label={`Remove target ${index + 1}`}
                onClick={() =>
                  onChange(
                    rows.filter((_, i) => i !== index),
                    `${index}`,
                  )
                }
              >
                Remove
              </button>
            ) : null}
          </div>
        ))}
      </div>
      <div>
        <button
          type="button"
          className="button button-small"
          onClick={() => onChange([...rows, newTargetRow()], `${rows.length}`)}
        >
          Add target
        </button>
      </div>
    </Fieldset>
  );
}
