"use client";

import {
  fieldMeta,
  keyLimitsSchema,
  LIMIT_WINDOWS,
  type Plan,
  type PlanCreate,
  planCreateSchema,
  planQuotaSchema,
  QUOTA_PERIODS,
} from "@gatehouse/shared";
import { type FormEvent, useId, useState } from "react";
import { optionalInt } from "@/lib/form-values.ts";
import { useSchemaForm } from "@/lib/use-schema-form.ts";
import { FormActions } from "../ui/form-actions.tsx";
import { FormBanner } from "../ui/form-banner.tsx";
import { TextField } from "../ui/text-field.tsx";

interface PlanFormProps {
  initial?: Plan;
  pending: boolean;
  onSubmit: (input: PlanCreate, fail: (error: unknown) => void) => void;
  onCancel: () => void;
}

type Counts = Record<string, string>;

const countsOf = (values: Partial<Record<string, number>> | undefined, keys: readonly string[]): Counts =>
  Object.fromEntries(keys.map((key) => [key, values?.[key] === undefined ? "" : String(values[key])]));

const numbers = (counts: Counts) =>
  Object.fromEntries(
    Object.entries(counts).flatMap(([key, raw]) => {
      const value = optionalInt(raw);
      return value === undefined ? [] : [[key, value]];
    }),
  );

/** A plan's name, description, rate limits and quota; checked by planCreateSchema as you type. */
export function PlanForm({ initial, pending, onSubmit, onCancel }: PlanFormProps) {
  const id = useId();
  const [name, setName] = useState(initial?.name ?? "");
  const [description, setDescription] = useState(initial?.description ?? "");
  const [limits, setLimits] = useState(() => countsOf(initial?.limits, LIMIT_WINDOWS));
  const [quota, setQuota] = useState(() => countsOf(initial?.quota, QUOTA_PERIODS));
  const payload = {
    name: name.trim(),
    description: description.trim(),
    limits: numbers(limits),
    quota: numbers(quota),
  };
  const form = useSchemaForm(planCreateSchema, payload);

  function submit(event: FormEvent) {
    event.preventDefault();
    if (form.submit()) onSubmit(payload as PlanCreate, form.fail);
  }

  const countField = (group: "limits" | "quota", key: string, counts: Counts, set: (next: Counts) => void) => {
    const schema = group === "limits" ? keyLimitsSchema : planQuotaSchema;
    const path = `${group}.${key}`;
    return (
      <TextField
        key={path}
        id={`${id}-${group}-${key}`}
        label={fieldMeta(schema, key).title}
        inputMode="numeric"
        autoComplete="off"
        value={counts[key] ?? ""}
        {...form.bind(path, (v) => set({ ...counts, [key]: v }))}
      />
    );
  };

  return (
    <form className="form" onSubmit={submit} noValidate aria-label={initial ? `Edit plan ${initial.name}` : "New plan"}>
      <FormBanner title="The plan was not saved." form={form} />
      <div className="grid-2">
        <TextField id={`${id}-name`} label="Name" value={name} autoComplete="off" {...form.bind("name", setName)} />
        <TextField
          id={`${id}-description`}
          label="Description"
          hint="Optional"
          value={description}
          {...form.bind("description", setDescription)}
        />
      </div>
      <fieldset className="fieldset">
        <legend>Rate limits</legend>
        <p className="hint">
          Used by rate-limit policies for this plan’s consumers instead of the policy’s own limits, and counted in the
          policy’s store: per gateway in memory, or across gateways in Redis. Empty: no limit for that window. A key’s
          own limits win over its plan’s.
        </p>
        <div className="grid-4">{LIMIT_WINDOWS.map((w) => countField("limits", w, limits, setLimits))}</div>
      </fieldset>
      <fieldset className="fieldset">
        <legend>Quota</legend>
        <p className="hint">
          Used by quota policies: requests per calendar day or month (UTC), counted across restarts in the policy’s
          store: per gateway in memory, or across gateways in Redis.
        </p>
        <div className="grid-2">{QUOTA_PERIODS.map((p) => countField("quota", p, quota, setQuota))}</div>
      </fieldset>
      <FormActions
        submit={initial ? "Save plan" : "Create plan"}
        submitting="Saving…"
        pending={pending}
        cancel={onCancel}
        holdCancel
      />
    </form>
  );
}
