import type { ReactNode } from "react";

interface CheckboxFieldProps {
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: string | undefined;
  checked: boolean;
  onChange: (checked: boolean) => void;
  disabled?: boolean;
}

/** A checkbox with its label to the right; its message and hint are wired like Field's. */
export function CheckboxField({ id, label, hint, error, checked, onChange, disabled }: CheckboxFieldProps) {
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  return (
    <div className="checkbox-field">
      <input
        id={id}
        type="checkbox"
        checked={checked}
        disabled={disabled}
        aria-invalid={error ? true : undefined}
        aria-describedby={[errorId, hintId].filter(Boolean).join(" ") || undefined}
        onChange={(event) => onChange(event.target.checked)}
      />
      <div>
        <label htmlFor={id} className="field-label">
          {label}
        </label>
        {error ? (
          <div id={errorId} className="field-error">
            {error}
          </div>
        ) : null}
        {hint ? (
          <div id={hintId} className="hint">
            {hint}
          </div>
        ) : null}
      </div>
    </div>
  );
}
