"use client";

import {
  type ApiKeyCreate,
  type ApiKeyIssued,
  apiKeyCreateSchema,
  fieldMeta,
  keyLimitsSchema,
  LIMIT_WINDOWS,
} from "@gatehouse/shared";
import { type FormEvent, useState } from "react";
import { optionalInt } from "@/lib/form-values.ts";
import { useSchemaForm } from "@/lib/use-schema-form.ts";
import { useApiList } from "../apis/use-apis.ts";
import { Dialog } from "../ui/dialog.tsx";
import { FormActions } from "../ui/form-actions.tsx";
import { FormBanner } from "../ui/form-banner.tsx";
import { TextField } from "../ui/text-field.tsx";
import { ALL_APIS, IssuedKeyPanel } from "./issued-key-panel.tsx";
import type { useKeyMutations } from "./use-consumers.ts";

type Window = (typeof LIMIT_WINDOWS)[number];
type Issue = ReturnType<typeof useKeyMutations>["issue"];

const meta = {
  name: fieldMeta(apiKeyCreateSchema, "name"),
  expiresAt: fieldMeta(apiKeyCreateSchema, "expiresAt"),
  apiIds: fieldMeta(apiKeyCreateSchema, "apiIds"),
  limits: fieldMeta(apiKeyCreateSchema, "limits"),
};
const limitsHint = keyLimitsSchema.meta()?.description as string | undefined;

/** A datetime-local value is the browser's local time; the schema wants an ISO time with an offset. */
function expiryIso(local: string): string | null {
  if (!local) return null;
  const time = new Date(local);
  return Number.isNaN(time.getTime()) ? local : time.toISOString();
}

export function IssueKeyDialog({ open, issue, onClose }: { open: boolean; issue: Issue; onClose: () => void }) {
  return (
    <Dialog open={open} title="Issue an API key" onClose={onClose} wide>
      <IssueKeyContent issue={issue} onClose={onClose} />
    </Dialog>
  );
}

function IssueKeyContent({ issue, onClose }: { issue: Issue; onClose: () => void }) {
  const [issued, setIssued] = useState<ApiKeyIssued | null>(null);
  const [name, setName] = useState("");
  const [expires, setExpires] = useState("");
  const [apiIds, setApiIds] = useState<string[]>([]);
  const [limits, setLimits] = useState<Record<Window, string>>({ second: "", minute: "", hour: "", day: "" });
  const apis = useApiList(ALL_APIS);

  const payload = {
    name,
    expiresAt: expiryIso(expires),
    apiIds,
    limits: Object.fromEntries(
      LIMIT_WINDOWS.map((w) => [w, optionalInt(limits[w])]).filter(([, value]) => value !== undefined),
    ),
  } as ApiKeyCreate;
  const form = useSchemaForm(apiKeyCreateSchema, payload);
  const apiIdsError = form.errorFor("apiIds", true);

  if (issued) {
    return (
      <div className="stack">
        <IssuedKeyPanel issued={issued} />
        <div className="form-actions">
          <button type="button" className="button button-primary" onClick={onClose}>
            Done
          </button>
        </div>
      </div>
    );
  }

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (!form.submit()) return;
    issue.mutate(payload, { onSuccess: ({ data }) => setIssued(data), onError: form.fail });
  }

  return (
    <form className="form" onSubmit={onSubmit} noValidate aria-label="Issue an API key">
      <FormBanner title="The key was not issued." form={form} />
      <div className="grid-2">
        <TextField
          id="key-name"
          label={meta.name.title}
          hint={`Optional. ${meta.name.description}.`}
          value={name}
          autoComplete="off"
          {...form.bind("name", setName)}
        />
        <TextField
          id="key-expires"
          type="datetime-local"
          label={meta.expiresAt.title}
          hint="Optional, in your local time. Empty: never."
          value={expires}
          {...form.bind("expiresAt", setExpires)}
        />
      </div>
      <fieldset className="fieldset" aria-describedby={apiIdsError ? "key-apis-error key-apis-hint" : "key-apis-hint"}>
        <legend>{meta.apiIds.title}</legend>
        <span id="key-apis-hint" className="hint">
          Optional. {meta.apiIds.description}.
        </span>
        {apis.isPending ? (
          <span className="muted">Loading APIs…</span>
        ) : apis.isError ? (
          <span className="field-error">Could not load the APIs: {apis.error.message}</span>
        ) : apis.data.data.length === 0 ? (
          <span className="muted">No APIs yet: the key may call any API you add.</span>
        ) : (
          <div className="checks">
            {apis.data.data.map((api) => (
              <label key={api.id} className="check" htmlFor={`key-api-${api.id}`}>
                <input
                  id={`key-api-${api.id}`}
                  type="checkbox"
                  checked={apiIds.includes(api.id)}
                  onChange={(event) => {
                    setApiIds((prev) =>
                      event.target.checked ? [...prev, api.id] : prev.filter((id) => id !== api.id),
                    );
                    form.changed("apiIds");
                  }}
                />
                {api.name}
              </label>
            ))}
          </div>
        )}
        {apiIdsError ? (
          <span id="key-apis-error" className="field-error">
            {apiIdsError}
          </span>
        ) : null}
      </fieldset>
      <fieldset className="fieldset" aria-describedby="key-limits-hint">
        <legend>{meta.limits.title}</legend>
        <span id="key-limits-hint" className="hint">
          Optional. {limitsHint}.
        </span>
        <div className="grid-4">
          {LIMIT_WINDOWS.map((w) => (
            <TextField
              key={w}
              id={`key-limit-${w}`}
              label={fieldMeta(keyLimitsSchema, w).title}
              inputMode="numeric"
              value={limits[w]}
              {...form.bind(`limits.${w}`, (v) => setLimits((prev) => ({ ...prev, [w]: v })))}
            />
          ))}
        </div>
      </fieldset>
      <FormActions submit="Issue key" submitting="Issuing…" pending={issue.isPending} cancel={onClose} holdCancel />
    </form>
  );
}
