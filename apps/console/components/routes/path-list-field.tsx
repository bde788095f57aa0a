"use client";

import { rowKey } from "@/lib/form-values.ts";
import { Fieldset } from "../ui/field.tsx";
import { TextField } from "../ui/text-field.tsx";

export interface PathRow {
  key: string;
  value: string;
}

export const newPathRow = (value = ""): PathRow => ({ key: rowKey(), value });

interface PathListFieldProps {
  idPrefix: string;
  legend: string;
  hint?: string | undefined;
  rows: PathRow[];
  onChange: (rows: PathRow[], changedIndex: number) => void;
  onBlurAt: (index: number) => void;
  errorAt: (index: number) => string | undefined;
  listError?: string | undefined;
}

/** One or more route paths, each in its own input labelled "Path N". */
export function PathListField({
  idPrefix,
  legend,
  hint,
  rows,
  onChange,
  onBlurAt,
  errorAt,
  listError,
}: PathListFieldProps) {
  return (
    <Fieldset id={idPrefix} legend={legend} hint={hint} error={listError}>
      <div className="list-rows">
        {rows.map((row, index) => (
          <div className="list-row" key={row.key}>
            <TextField
              id={`${idPrefix}-${index}`}
              label={`Path ${index + 1}`}
              hideLabel
              mono
              placeholder="/orders"
              value={row.value}
              error={errorAt(index)}
              onChange={(event) =>
                onChange(
                  rows.map((r, i) => (i === index ? { ...r, value: event.target.value } : r)),
                  index,
                )
              }
              onBlur={() => onBlurAt(index)}
            />
            {rows.length > 1 ? (
              <button
                type="button"
                className="button button-ghost"
                aria-label={`Remove path ${index + 1}`}
                onClick={() =>
                  onChange(
                    rows.filter((_, i) => i !== index),
                    index,
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
          onClick={() => onChange([...rows, newPathRow()], rows.length)}
        >
          Add path
        </button>
      </div>
    </Fieldset>
  );
}
