import type { InputHTMLAttributes, ReactNode } from "react";
import { Field } from "./field.tsx";

export interface TextFieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, "id"> {
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: string | undefined;
  /** Keeps the label for screen readers only (rows of repeated inputs). */
  hideLabel?: boolean;
  mono?: boolean;
  fieldClassName?: string;
}

export function TextField({
  id,
  label,
  hint,
  error,
  hideLabel,
  mono,
  fieldClassName,
  className,
  ...input
}: TextFieldProps) {
  return (
    <Field id={id} label={label} hint={hint} error={error} hideLabel={hideLabel} className={fieldClassName}>
      {(aria) => (
        <input
          className={["input", mono ? "input-mono" : "", className].filter(Boolean).join(" ")}
          {...aria}
          {...input}
        />
      )}
    </Field>
  );
}
