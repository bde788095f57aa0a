"use client";

import { fieldMeta, type Upstream, upstreamPatchSchema, upstreamTlsSchema } from "@gatehouse/shared";
import { type FormEvent, useState } from "react";
import { useSchemaForm } from "@/lib/use-schema-form.ts";
import { CheckboxField } from "../ui/checkbox-field.tsx";
import { FormBanner } from "../ui/form-banner.tsx";
import { TextField } from "../ui/text-field.tsx";
import { TextareaField } from "../ui/textarea-field.tsx";
import { initialTlsValues, isWriteOnly, SINGLE_LINE, TLS_KEYS, type TlsKey, tlsPayload } from "./pool-tls-values.ts";
import { useUpdateUpstream } from "./use-upstreams.ts";

/** How the gateway verifies and authenticates to a pool's https:// targets, saved as one PATCH of `tls`. */
export function PoolTlsForm({ upstream, onSaved }: { upstream: Upstream; onSaved: (revision: number | null) => void }) {
  const [initial] = useState(() => initialTlsValues(upstream.tls));
  const [values, setValues] = useState(initial);
  const update = useUpdateUpstream(upstream.id, onSaved);
  const form = useSchemaForm(upstreamPatchSchema, tlsPayload(values));
  const dirty = TLS_KEYS.some((key) => values[key] !== initial[key]);
  const keySaved = upstream.tls.clientCertificate !== undefined;

  function submit(event: FormEvent) {
    event.preventDefault();
    const patch = form.submit();
    if (patch) update.mutate(patch, { onError: form.fail });
  }

  function field(key: TlsKey) {
    const id = `${upstream.id}-tls-${key}`;
    const path = `tls.${key}`;
    const { title, description } = fieldMeta(upstreamTlsSchema, key);
    const value = values[key];
    const set = (next: string | boolean) => setValues((prev) => ({ ...prev, [key]: next }));
    if (typeof value === "boolean") {
      return (
        <CheckboxField
          key={key}
          id={id}
          label={title}
          hint={description}
          error={form.errorFor(path)}
          checked={value}
          onChange={(checked) => {
            set(checked);
            form.changed(path);
          }}
        />
      );
    }
    const props = { id, label: title, hint: description, value, ...form.bind(path, set) };
    if (SINGLE_LINE.has(key)) return <TextField key={key} {...props} mono />;
    const placeholder = isWriteOnly(key) && keySaved ? "Saved and hidden; leave empty to keep it" : "-----BEGIN …-----";
    return <TextareaField key={key} {...props} rows={4} placeholder={placeholder} />;
  }

  return (
    <form className="form" onSubmit={submit} noValidate aria-label="TLS to targets">
      <FormBanner title="The TLS settings were not saved." form={form} />
      {TLS_KEYS.map(field)}
      <div className="form-actions">
        <button type="submit" className="button button-small" disabled={!dirty || update.isPending}>
          {update.isPending ? "Saving…" : "Save TLS settings"}
        </button>
      </div>
    </form>
  );
}
