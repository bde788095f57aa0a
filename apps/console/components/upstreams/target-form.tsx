"use client";

import { fieldMeta, type Target, type TargetInput, targetInputSchema } from "@gatehouse/shared";
import { type FormEvent, useId, useState } from "react";
import { optionalInt } from "@/lib/form-values.ts";
import { useSchemaForm } from "@/lib/use-schema-form.ts";
import { FormActions } from "../ui/form-actions.tsx";
import { FormBanner } from "../ui/form-banner.tsx";
import { TextField } from "../ui/text-field.tsx";

const urlMeta = fieldMeta(targetInputSchema, "url");
const weightMeta = fieldMeta(targetInputSchema, "weight");

interface TargetFormProps {
  initial?: Target;
  pending: boolean;
  onSubmit: (input: TargetInput, fail: (error: unknown) => void) => void;
  onCancel: () => void;
}

/** Adds or edits one target (URL and weight), validated by targetInputSchema. */
export function TargetForm({ initial, pending, onSubmit, onCancel }: TargetFormProps) {
  const id = useId();
  const [url, setUrl] = useState(initial?.url ?? "");
  const [weight, setWeight] = useState(String(initial?.weight ?? 100));
  const payload = { url: url.trim(), weight: optionalInt(weight) as number | undefined };
  const form = useSchemaForm(targetInputSchema, payload);

  function submit(event: FormEvent) {
    event.preventDefault();
    const input = form.submit();
    if (input) onSubmit(payload, form.fail);
  }

  return (
    <form className="form" onSubmit={submit} noValidate aria-label={initial ? "Edit target" : "Add target"}>
      <FormBanner title="The target was not saved." form={form} />
      <div className="list-row">
        <TextField
          id={`${id}-url`}
          label="Target URL"
          hint={urlMeta.description}
          mono
          type="url"
          placeholder="http://localhost:9000"
          value={url}
          autoFocus
          {...form.bind("url", setUrl)}
        />
        <TextField
          id={`${id}-weight`}
          label={weightMeta.title}
          fieldClassName="narrow"
          type="number"
          min={0}
          max={1000}
          value={weight}
          {...form.bind("weight", setWeight)}
        />
      </div>
      <FormActions
        submit={initial ? "Save target" : "Add target"}
        submitting="Saving…"
        pending={pending}
        cancel={onCancel}
      />
    </form>
  );
}
