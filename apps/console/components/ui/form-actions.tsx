import Link from "next/link";

interface FormActionsProps {
  /** The submit button's label, and its label while the request runs. */
  submit: string;
  submitting: string;
  pending: boolean;
  /** A callback for a form in a dialog or panel; a path for a form with a page of its own. */
  cancel: (() => void) | string;
  /** A dialog's Cancel waits for the request, so the dialog does not close over one in flight. */
  holdCancel?: boolean;
}

/** The Cancel / submit footer every console form ends with. */
export function FormActions({ submit, submitting, pending, cancel, holdCancel = false }: FormActionsProps) {
  return (
    <div className="form-actions">
      {typeof cancel === "string" ? (
        <Link className="button" href={cancel}>
          Cancel
        </Link>
      ) : (
        <button type="button" className="button" onClick={cancel} disabled={holdCancel && pending}>
          Cancel
        </button>
      )}
      <button type="submit" className="button button-primary" disabled={pending}>
        {pending ? submitting : submit}
      </button>
    </div>
  );
}
