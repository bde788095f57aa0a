"use client";

import { fieldMeta, type Upstream, upstreamCreateSchema, upstreamPatchSchema } from "@gatehouse/shared";
import { type FormEvent, useState } from "react";
import { optionalInt } from "@/lib/form-values.ts";
import { useSchemaForm } from "@/lib/use-schema-form.ts";
import { Banner } from "../ui/banner.tsx";
import { TextField } from "../ui/text-field.tsx";
import { useUpdateUpstream } from "./use-upstreams.ts";

const connectMeta = fieldMeta(upstreamCreateSchema, "connectTimeoutMs");
const readMeta = fieldMeta(upstreamCreateSchema, "readTimeoutMs");

export function TimeoutsForm({
  upstream,
  onSaved,
}: {
  upstream: Upstream;
  onSaved: (revision: number | null) => void;
}) {
  const [connect, setConnect] = useState(String(upstream.connectTimeoutMs));
  const [read, setRead] = useState(String(upstream.readTimeoutMs));
  const update = useUpdateUpstream(upstream.id, onSaved);
  const payload = { connectTimeoutMs: optionalInt(connect), readTimeoutMs: optionalInt(read) };
  const form = useSchemaForm(upstreamPatchSchema, payload);
  const dirty = connect !== String(upstream.connectTimeoutMs) || read !== String(upstream.readTimeoutMs);

  function submit(event: FormEvent) {
    event.preventDefault();
    const patch = form.submit();
    if (patch) update.mutate(patch, { onError: form.fail });
  }

  return (
    <form className="form" onSubmit={submit} noValidate aria-label="Timeouts">
      {form.serverError ? <Banner>{form.serverError.message}</Banner> : null}
      <div className="grid-2">
        <TextField
          id={`${upstream.id}-connect-timeout`}
          label={`${connectMeta.title} (ms)`}
          type="number"
          min={1}
          value={connect}
          error={form.errorFor("connectTimeoutMs")}
          onChange={(e) => {
            setConnect(e.target.value);
            form.changed("connectTimeoutMs");
          }}
          onBlur={() => form.blur("connectTimeoutMs")}
        />
        <TextField
          id={`${upstream.id}-read-timeout`}
          label={`${readMeta.title} (ms)`}
          type="number"
          min={1}
          value={read}
          error={form.errorFor("readTimeoutMs")}
          onChange={(e) => {
            setRead(e.target.value);
            form.changed("readTimeoutMs");
          }}
          onBlur={() => form.blur("readTimeoutMs")}
        />
      </div>
      <div className="form-actions">
        <button type="submit" className="button button-small" disabled={!dirty || update.isPending}>
          {update.isPending ? "Saving…" : "Save timeouts"}
        </button>
      </div>
    </form>
  );
}
