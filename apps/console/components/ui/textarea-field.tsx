import type { ReactNode, TextareaHTMLAttributes } from "react";
import { Field } from "./field.tsx";

export interface TextareaFieldProps extends Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, "id"> {
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: string | undefined;
}

export function TextareaField({ id, label, hint, error, ...textarea }: TextareaFieldProps) {
  return (
    <Field id={id} label={label} hint={hint} error={error}>
      {(aria) => <textarea className="textarea input-mono" rows={3} {...aria} {...textarea} />}
    </Field>
  );
}
