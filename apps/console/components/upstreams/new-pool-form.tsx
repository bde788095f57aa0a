"use client";

import { upstreamCreateSchema } from "@gatehouse/shared";
import { useRouter } from "next/navigation";
import { type FormEvent, useEffect, useState } from "react";
import { optionalInt } from "@/lib/form-values.ts";
import { useSchemaForm } from "@/lib/use-schema-form.ts";
import { FormActions } from "../ui/form-actions.tsx";
import { FormBanner } from "../ui/form-banner.tsx";
import { SelectField } from "../ui/select-field.tsx";
import { TextField } from "../ui/text-field.tsx";
import { ALGORITHMS } from "./pool-settings-form.tsx";
import { newTargetRow, type TargetRow, TargetRowsField } from "./target-rows-field.tsx";
import { useCreateUpstream } from "./use-upstreams.ts";

/** A pool with its targets; timeouts and health checks start at their defaults and are set on its page. */
export function NewPoolForm({ onCancel }: { onCancel: () => void }) {
  const router = useRouter();
  const create = useCreateUpstream();
  const [name, setName] = useState("");
  const [algorithm, setAlgorithm] = useState<string>("round-robin");
  const [targets, setTargets] = useState<TargetRow[]>(() => [newTargetRow()]);
  const payload = {
    name,
    algorithm,
    targets: targets.map((t) => ({ url: t.url.trim(), weight: optionalInt(t.weight) })),
  };
  const form = useSchemaForm(upstreamCreateSchema, payload);

  // The button that opened the form is gone; without this, focus would fall back to the page.
  useEffect(() => document.getElementById("new-pool-name")?.focus(), []);

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    const input = form.submit();
    if (!input) return;
    create.mutate(input, {
      onSuccess: ({ data }) => router.push(`/upstreams/${data.id}`),
      onError: form.fail,
    });
  }

  return (
    <form className="form" onSubmit={onSubmit} noValidate aria-label="New pool">
      <FormBanner title="The pool was not created." form={form} />
      <div className="grid-2">
        <TextField id="new-pool-name" label="Name" value={name} autoComplete="off" {...form.bind("name", setName)} />
        <SelectField
          id="new-pool-algorithm"
          label="Balancing"
          options={ALGORITHMS}
          value={algorithm}
          {...form.bind("algorithm", setAlgorithm)}
        />
      </div>
      <TargetRowsField
        idPrefix="new-pool-target"
        rows={targets}
        onChange={(rows, changed) => {
          setTargets(rows);
          form.changed(`targets.${changed}`);
          form.changed("targets");
        }}
        onBlur={(path) => form.blur(`targets.${path}`)}
        errorFor={(path) => form.errorFor(`targets.${path}`, true)}
        listError={form.errorFor("targets")}
      />
      <FormActions submit="Create pool" submitting="Creating…" pending={create.isPending} cancel={onCancel} />
    </form>
  );
}
