"use client";

import {
  fieldMeta,
  type HttpMethod,
  type PATH_TYPES,
  type Route,
  type RouteInput,
  routeInputSchema,
} from "@gatehouse/shared";
import { type FormEvent, useId, useState } from "react";
import { optionalInt, splitList } from "@/lib/form-values.ts";
import { useSchemaForm } from "@/lib/use-schema-form.ts";
import { CheckboxField } from "../ui/checkbox-field.tsx";
import { FormActions } from "../ui/form-actions.tsx";
import { FormBanner } from "../ui/form-banner.tsx";
import { SelectField } from "../ui/select-field.tsx";
import { TextField } from "../ui/text-field.tsx";
import { MethodsField } from "./methods-field.tsx";
import { newPathRow, PathListField } from "./path-list-field.tsx";

const meta = Object.fromEntries(
  ["name", "paths", "pathType", "methods", "hosts", "stripPath", "rewritePath", "priority"].map((key) => [
    key,
    fieldMeta(routeInputSchema, key),
  ]),
) as Record<string, { title: string; description?: string }>;
const m = (key: string) => meta[key] ?? { title: key };

interface RouteFormProps {
  initial?: Route;
  pending: boolean;
  onSubmit: (input: RouteInput, fail: (error: unknown) => void) => void;
  onCancel: () => void;
}

/** Adds or edits a route; every field is validated by routeInputSchema. */
export function RouteForm({ initial, pending, onSubmit, onCancel }: RouteFormProps) {
  const id = useId();
  const [name, setName] = useState(initial?.name ?? "");
  const [paths, setPaths] = useState(() => (initial?.paths.length ? initial.paths : [""]).map((p) => newPathRow(p)));
  const [pathType, setPathType] = useState<(typeof PATH_TYPES)[number]>(initial?.pathType ?? "prefix");
  const [methods, setMethods] = useState<HttpMethod[]>(initial?.methods ?? []);
  const [hosts, setHosts] = useState(initial?.hosts.join(", ") ?? "");
  const [stripPath, setStripPath] = useState(initial?.stripPath ?? true);
  const [rewritePath, setRewritePath] = useState(initial?.rewritePath ?? "");
  const [priority, setPriority] = useState(String(initial?.priority ?? 0));

  const payload: RouteInput = {
    ...(name.trim() ? { name: name.trim() } : {}),
    paths: paths.map((p) => p.value.trim()),
    pathType,
    methods,
    hosts: splitList(hosts),
    stripPath,
    rewritePath: rewritePath.trim() || null,
    priority: optionalInt(priority) as number | undefined,
  };
  const form = useSchemaForm(routeInputSchema, payload);

  function submit(event: FormEvent) {
    event.preventDefault();
    if (form.submit()) onSubmit(payload, form.fail);
  }

  return (
    <form className="form" onSubmit={submit} noValidate aria-label={initial ? "Edit route" : "Add route"}>
      <FormBanner title="The route was not saved." form={form} />
      <PathListField
        idPrefix={`${id}-path`}
        legend={m("paths").title}
        hint={m("paths").description}
        rows={paths}
        onChange={(rows, index) => {
          setPaths(rows);
          form.changed(`paths.${index}`);
          form.changed("paths");
        }}
        onBlurAt={(index) => form.blur(`paths.${index}`)}
        errorAt={(index) => form.errorFor(`paths.${index}`, true)}
        listError={form.errorFor("paths")}
      />
      <div className="grid-2">
        <SelectField
          id={`${id}-path-type`}
          label={m("pathType").title}
          hint={m("pathType").description}
          value={pathType}
          options={[
            { value: "prefix", label: "Prefix" },
            { value: "exact", label: "Exact" },
          ]}
          {...form.bind("pathType", (v) => setPathType(v as (typeof PATH_TYPES)[number]))}
        />
        <TextField
          id={`${id}-name`}
          label={`Route ${m("name").title.toLowerCase()}`}
          hint="Optional"
          value={name}
          {...form.bind("name", setName)}
        />
      </div>
      <MethodsField
        idPrefix={`${id}-method`}
        legend={m("methods").title}
        hint={m("methods").description}
        value={methods}
        onChange={(next) => {
          setMethods(next);
          form.changed("methods");
        }}
        error={form.errorFor("methods", true)}
      />
      <TextField
        id={`${id}-hosts`}
        label={m("hosts").title}
        hint={`${m("hosts").description ?? ""}; separate several with commas`}
        mono
        placeholder="api.example.com"
        value={hosts}
        {...form.bind("hosts", setHosts, true)}
      />
      <CheckboxField
        id={`${id}-strip`}
        label={m("stripPath").title}
        hint={m("stripPath").description}
        checked={stripPath}
        onChange={setStripPath}
      />
      <div className="grid-2">
        <TextField
          id={`${id}-rewrite`}
          label={m("rewritePath").title}
          hint={m("rewritePath").description}
          mono
          placeholder="/v2/orders"
          value={rewritePath}
          {...form.bind("rewritePath", setRewritePath)}
        />
        <TextField
          id={`${id}-priority`}
          label={m("priority").title}
          hint={m("priority").description}
          type="number"
          value={priority}
          {...form.bind("priority", setPriority)}
        />
      </div>
      <FormActions
        submit={initial ? "Save route" : "Add route"}
        submitting="Saving…"
        pending={pending}
        cancel={onCancel}
      />
    </form>
  );
}
