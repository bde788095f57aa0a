"use client";

import { HTTP_METHODS, type HttpMethod } from "@gatehouse/shared";
import { Fieldset } from "../ui/field.tsx";

interface MethodsFieldProps {
  idPrefix: string;
  legend: string;
  hint?: string | undefined;
  value: HttpMethod[];
  onChange: (methods: HttpMethod[]) => void;
  error?: string | undefined;
}

/** HTTP method checkboxes; none checked means every method. */
export function MethodsField({ idPrefix, legend, hint, value, onChange, error }: MethodsFieldProps) {
  return (
    <Fieldset id={idPrefix} legend={legend} hint={hint} error={error}>
      <div className="checks">
        {HTTP_METHODS.map((method) => (
          <label key={method} className="check" htmlFor={`${idPrefix}-${method}`}>
            <input
              id={`${idPrefix}-${method}`}
              type="checkbox"
              checked={value.includes(method)}
              onChange={(event) =>
                onChange(
                  event.target.checked
                    ? HTTP_METHODS.filter((m) => m === method || value.includes(m))
                    : value.filter((m) => m !== method),
                )
              }
            />
            {method}
          </label>
        ))}
      </div>
    </Fieldset>
  );
}
