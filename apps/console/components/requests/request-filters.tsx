"use client";

import { type RequestLogQuery, requestLogQuerySchema } from "@gatehouse/shared";
import { useApiList } from "../apis/use-apis.ts";
import { SelectField } from "../ui/select-field.tsx";
import { TextField } from "../ui/text-field.tsx";

export interface FilterValues {
  apiId: string;
  /** A consumer's name, as the user knows it. */
  consumer: string;
  status: string;
  path: string;
}

export const NO_FILTERS: FilterValues = { apiId: "", consumer: "", status: "", path: "" };

const { status: statusSchema, path: pathSchema } = requestLogQuerySchema.shape;

/** The message of the first problem with a field, checked by the same schema the Admin API uses. */
function problem(schema: typeof statusSchema | typeof pathSchema, value: string): string | undefined {
  if (value === "") return undefined;
  const result = schema.safeParse(value);
  return result.success ? undefined : result.error.issues[0]?.message;
}

/** The filters as the Admin API takes them, and the messages of those it would refuse (left out meanwhile). */
export function toQuery(values: FilterValues): { query: Partial<RequestLogQuery>; errors: Partial<FilterValues> } {
  const status = values.status.trim().toLowerCase();
  const path = values.path.trim();
  const errors = { status: problem(statusSchema, status), path: problem(pathSchema, path) };
  return {
    query: {
      apiId: values.apiId || undefined,
      consumer: values.consumer.trim() || undefined,
      status: errors.status ? undefined : status || undefined,
      path: errors.path ? undefined : path || undefined,
    },
    errors,
  };
}

interface RequestFiltersProps {
  values: FilterValues;
  errors: Partial<FilterValues>;
  onChange: (values: FilterValues) => void;
}

export function RequestFilters({ values, errors, onChange }: RequestFiltersProps) {
  const apis = useApiList({ limit: 200 });
  const set = (name: keyof FilterValues) => (event: { target: { value: string } }) =>
    onChange({ ...values, [name]: event.target.value });
  return (
    <div className="grid-4 filters">
      <SelectField
        id="log-api"
        label="API"
        value={values.apiId}
        onChange={set("apiId")}
        options={[
          { value: "", label: "All APIs" },
          ...(apis.data?.data ?? []).map((api) => ({ value: api.id, label: api.name })),
        ]}
      />
      <TextField
        id="log-consumer"
        label="Consumer"
        placeholder="Consumer name"
        value={values.consumer}
        onChange={set("consumer")}
        error={errors.consumer}
        autoComplete="off"
      />
      <TextField
        id="log-status"
        label="Status"
        placeholder="2xx, 4xx, 404…"
        value={values.status}
        onChange={set("status")}
        error={errors.status}
        autoComplete="off"
      />
      <TextField
        id="log-path"
        label="Path contains"
        placeholder="/orders"
        value={values.path}
        onChange={set("path")}
        error={errors.path}
        mono
        autoComplete="off"
      />
    </div>
  );
}
