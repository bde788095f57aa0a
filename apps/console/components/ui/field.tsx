import type { ReactNode } from "react";

/** What a control needs to be announced with its label's field: its message and its hint. */
export interface FieldAria {
  id: string;
  "aria-invalid": true | undefined;
  "aria-describedby": string | undefined;
}

interface Described {
  id: string;
  hint?: ReactNode;
  error?: string | undefined;
}

function describedBy({ id, hint, error }: Described) {
  const errorId = error ? `${id}-error` : undefined;
  const hintId = hint ? `${id}-hint` : undefined;
  return { errorId, hintId, ids: [errorId, hintId].filter(Boolean).join(" ") || undefined };
}

function Messages({ id, hint, error, showHint = true }: Described & { showHint?: boolean }) {
  const { errorId, hintId } = describedBy({ id, hint, error });
  return (
    <>
      {error ? (
        <span id={errorId} className="field-error">
          {error}
        </span>
      ) : null}
      {hint && showHint ? (
        <span id={hintId} className="hint">
          {hint}
        </span>
      ) : null}
    </>
  );
}

interface FieldProps extends Described {
  label: ReactNode;
  /** Keeps the label for screen readers only (rows of repeated inputs). */
  hideLabel?: boolean;
  className?: string | undefined;
  children: (aria: FieldAria) => ReactNode;
}

/**
 * One labelled control with its message beside it: every input, select and textarea of the
 * console goes through here, so a field the client or the server names looks the same
 * everywhere (aria-invalid, a red border, the message linked by aria-describedby).
 */
export function Field({ id, label, hint, error, hideLabel, className, children }: FieldProps) {
  // A hidden label's hint is not shown either; it would float without its label.
  const shownHint = hideLabel ? undefined : hint;
  return (
    <div className={["field", className].filter(Boolean).join(" ")}>
      <label htmlFor={id} className={hideLabel ? "visually-hidden" : undefined}>
        {label}
      </label>
      {children({
        id,
        "aria-invalid": error ? true : undefined,
        "aria-describedby": describedBy({ id, hint: shownHint, error }).ids,
      })}
      <Messages id={id} hint={shownHint} error={error} />
    </div>
  );
}

interface FieldsetProps extends Described {
  legend: ReactNode;
  children: ReactNode;
}

/** A group of controls (checkboxes, rows of inputs) with one message about the group. */
export function Fieldset({ id, legend, hint, error, children }: FieldsetProps) {
  const { errorId, hintId } = describedBy({ id, hint, error });
  return (
    <fieldset className="fieldset" aria-describedby={[errorId, hintId].filter(Boolean).join(" ") || undefined}>
      <legend>{legend}</legend>
      {hint ? (
        <span id={hintId} className="hint">
          {hint}
        </span>
      ) : null}
      {children}
      {error ? (
        <span id={errorId} className="field-error" role="alert">
          {error}
        </span>
      ) : null}
    </fieldset>
  );
}
