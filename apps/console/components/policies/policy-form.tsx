"use client";

import { POLICY_SCHEMAS, type PolicySchema, type Scope } from "@gatehouse/policies/schemas";
import type { Policy } from "@gatehouse/shared";
import { type FormEvent, useId, useState } from "react";
import { z } from "zod";
import type { PolicyFilter } from "@/lib/endpoints.ts";
import { useSchemaForm } from "@/lib/use-schema-form.ts";
import { CheckboxField } from "../ui/checkbox-field.tsx";
import { FormActions } from "../ui/form-actions.tsx";
import { FormBanner } from "../ui/form-banner.tsx";
import { SelectField } from "../ui/select-field.tsx";
import { TextField } from "../ui/text-field.tsx";
import { TextareaField } from "../ui/textarea-field.tsx";
import {
  configPayload,
  type FieldSpec,
  type FieldValues,
  fieldSpecs,
  initialValues,
  shownSpecs,
} from "./config-fields.ts";
import { UpstreamField } from "./upstream-field.tsx";

/** A place a policy can be attached to, as the form offers it. */
export interface AttachPoint {
  value: string;
  label: string;
  scope: Scope;
  ids: Pick<PolicyFilter, "apiId" | "routeId" | "consumerId">;
}

export interface PolicySubmit {
  type: string;
  at: AttachPoint;
  config: Record<string, unknown>;
}

interface PolicyFormProps {
  points: AttachPoint[];
  /** Set when editing: the type and place are fixed, the config starts from the saved one. */
  initial?: Policy;
  pending: boolean;
  onSubmit: (value: PolicySubmit, fail: (error: unknown) => void) => void;
  onCancel: () => void;
}

const specsByType = new Map(
  POLICY_SCHEMAS.map((schema) => [schema.type, fieldSpecs(schema.config, schema.upstreamFields)]),
);

/** Adds or edits one policy; its fields, labels, defaults and checks all come from the policy's zod schema. */
export function PolicyForm({ points, initial, pending, onSubmit, onCancel }: PolicyFormProps) {
  const id = useId();
  const offered = POLICY_SCHEMAS.filter((schema) => points.some((point) => schema.scopes.includes(point.scope)));
  const [type, setType] = useState(initial?.type ?? offered[0]?.type ?? "");
  const schema = POLICY_SCHEMAS.find((s) => s.type === type) as PolicySchema;
  const specs = specsByType.get(type) ?? [];
  const [pointValue, setPointValue] = useState(
    () =>
      (initial ? points.find((p) => p.ids.routeId === initial.routeId) : undefined)?.value ?? points[0]?.value ?? "",
  );
  const [values, setValues] = useState<FieldValues>(() => initialValues(specs, initial?.config ?? null));
  const at = points.find((point) => point.value === pointValue) ?? (points[0] as AttachPoint);

  // Fields for another choice (Redis settings while the store is memory) are neither shown nor sent.
  const shown = shownSpecs(specs, configPayload(specs, values));
  const config = configPayload(shown, values);
  const keptSecrets = initial ? shown.filter((s) => s.kind === "secret" && config[s.key] === undefined) : [];
  const checker = patchChecker(
    schema,
    keptSecrets.map((s) => s.key),
  );
  // An edit is checked as the Admin API applies it: merged into the saved config.
  const form = useSchemaForm(checker, { config: initial ? { ...initial.config, ...config } : config });
  const scopeError = schema.scopes.includes(at.scope)
    ? undefined
    : `${schema.title} can be attached to: ${schema.scopes.join(", ")}`;

  function submit(event: FormEvent) {
    event.preventDefault();
    if (form.submit() && !scopeError) onSubmit({ type, at, config }, form.fail);
  }

  function chooseType(next: string) {
    setType(next);
    setValues(initialValues(specsByType.get(next) ?? [], null));
    form.reset();
  }

  const field = (spec: FieldSpec, path: string) => {
    const key = `config.${path}`;
    const inputId = `${id}-${path.replace(/\W/g, "-")}`;
    const value = values[path];
    const put = (next: string | boolean) => setValues((prev) => ({ ...prev, [path]: next }));
    if (spec.kind === "boolean") {
      return (
        <CheckboxField
          key={path}
          id={inputId}
          label={spec.title}
          hint={spec.description}
          error={form.errorFor(key)}
          checked={value === true}
          onChange={(next) => {
            put(next);
            form.changed(key);
          }}
        />
      );
    }
    if (spec.kind === "select") {
      return (
        <SelectField
          key={path}
          id={inputId}
          label={spec.title}
          hint={spec.description}
          value={String(value ?? "")}
          options={spec.options.map((option) => ({ value: option, label: option }))}
          {...form.bind(key, put, true)}
        />
      );
    }
    if (spec.kind === "upstream") {
      return (
        <UpstreamField
          key={path}
          id={inputId}
          label={spec.title}
          hint={spec.description}
          value={String(value ?? "")}
          {...form.bind(key, put, true)}
        />
      );
    }
    if (spec.kind === "json") {
      return (
        <TextareaField
          key={path}
          id={inputId}
          label={spec.title}
          hint={`${spec.description ? `${spec.description} ` : ""}JSON.`}
          value={String(value ?? "")}
          {...form.bind(key, put, true)}
        />
      );
    }
    const secretSaved = spec.kind === "secret" && initial !== undefined;
    return (
      <TextField
        key={path}
        id={inputId}
        label={spec.title}
        hint={[spec.description, spec.kind === "list" ? "Separate entries with commas." : ""].filter(Boolean).join(" ")}
        type={spec.kind === "secret" ? "password" : "text"}
        inputMode={spec.kind === "number" ? "numeric" : undefined}
        autoComplete="off"
        mono={spec.kind === "list" || spec.kind === "secret"}
        placeholder={secretSaved ? "Saved and hidden; type to replace" : undefined}
        value={String(value ?? "")}
        {...form.bind(key, put, true)}
      />
    );
  };

  return (
    <form className="form" onSubmit={submit} noValidate aria-label={initial ? `Edit ${schema.title}` : "Add policy"}>
      <FormBanner title="The policy was not saved." form={form} />
      <div className="grid-2">
        <SelectField
          id={`${id}-type`}
          label="Policy"
          hint={schema?.description}
          value={type}
          disabled={initial !== undefined}
          options={offered.map((s) => ({ value: s.type, label: s.title }))}
          onChange={(e) => chooseType(e.target.value)}
        />
        <SelectField
          id={`${id}-at`}
          label="Applies to"
          error={scopeError}
          value={pointValue}
          disabled={initial !== undefined || points.length < 2}
          options={points.map((point) => ({ value: point.value, label: point.label }))}
          onChange={(e) => setPointValue(e.target.value)}
        />
      </div>
      {shown.map((spec) =>
        spec.kind === "group" ? (
          <fieldset className="fieldset" key={spec.key}>
            <legend>{spec.title}</legend>
            {spec.description ? <p className="hint">{spec.description}</p> : null}
            <GroupError message={form.errorFor(`config.${spec.key}`)} />
            <div className="grid-2">{spec.children.map((child) => field(child, `${spec.key}.${child.key}`))}</div>
          </fieldset>
        ) : (
          field(spec, spec.key)
        ),
      )}
      <FormActions
        submit={initial ? "Save policy" : "Add policy"}
        submitting="Saving…"
        pending={pending}
        cancel={onCancel}
        holdCancel
      />
    </form>
  );
}

/** A message about a whole group (rate limits: "Set at least one limit"), announced when it appears. */
function GroupError({ message }: { message: string | undefined }) {
  return message ? (
    <span className="field-error" role="alert">
      {message}
    </span>
  ) : null;
}

/**
 * The policy's schema under `config`, except that a secret left empty on an edit is not an
 * error: the API never sends saved secrets back, and keeps them when a patch leaves them out.
 */
function patchChecker(schema: PolicySchema, keptSecrets: string[]) {
  const wrapped = z.object({ config: schema.config });
  return {
    safeParse(value: unknown) {
      const result = wrapped.safeParse(value);
      if (result.success || keptSecrets.length === 0) return result;
      const issues = result.error.issues.filter(
        (issue) => !(issue.path[0] === "config" && keptSecrets.includes(String(issue.path[1]))),
      );
      return issues.length === 0
        ? ({ success: true, data: value } as const)
        : ({ success: false, error: new z.ZodError(issues) } as const);
    },
  };
}
