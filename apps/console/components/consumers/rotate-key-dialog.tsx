"use client";

import { type ApiKey, type ApiKeyIssued, apiKeyRotateSchema, fieldMeta } from "@gatehouse/shared";
import { type FormEvent, useState } from "react";
import { optionalInt } from "@/lib/form-values.ts";
import { useSchemaForm } from "@/lib/use-schema-form.ts";
import { Dialog } from "../ui/dialog.tsx";
import { FormActions } from "../ui/form-actions.tsx";
import { FormBanner } from "../ui/form-banner.tsx";
import { TextField } from "../ui/text-field.tsx";
import { IssuedKeyPanel } from "./issued-key-panel.tsx";
import { keyLabel } from "./key-label.ts";
import type { useKeyMutations } from "./use-consumers.ts";

type Rotate = ReturnType<typeof useKeyMutations>["rotate"];

const grace = fieldMeta(apiKeyRotateSchema, "gracePeriodSeconds");

interface RotateKeyDialogProps {
  apiKey: ApiKey | null;
  rotate: Rotate;
  onClose: () => void;
}

export function RotateKeyDialog({ apiKey, rotate, onClose }: RotateKeyDialogProps) {
  return (
    <Dialog open={apiKey !== null} title={apiKey ? `Rotate ${keyLabel(apiKey)}` : "Rotate key"} onClose={onClose} wide>
      {apiKey ? <RotateKeyContent apiKey={apiKey} rotate={rotate} onClose={onClose} /> : null}
    </Dialog>
  );
}

function RotateKeyContent({ apiKey, rotate, onClose }: { apiKey: ApiKey; rotate: Rotate; onClose: () => void }) {
  const [seconds, setSeconds] = useState("3600");
  const [result, setResult] = useState<{ issued: ApiKeyIssued; previous: ApiKey } | null>(null);
  const payload = { gracePeriodSeconds: optionalInt(seconds) };
  const form = useSchemaForm(apiKeyRotateSchema, payload);

  if (result) {
    const until = result.previous.expiresAt;
    return (
      <div className="stack">
        <IssuedKeyPanel
          issued={result.issued}
          note={
            until && Date.parse(until) > Date.now()
              ? `The old key keeps working until ${new Date(until).toLocaleString()}.`
              : "The old key has stopped working."
          }
        />
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
    const parsed = form.submit();
    if (!parsed) return;
    rotate.mutate(
      { keyId: apiKey.id, gracePeriodSeconds: parsed.gracePeriodSeconds },
      { onSuccess: ({ data }) => setResult(data), onError: form.fail },
    );
  }

  return (
    <form className="form" onSubmit={onSubmit} noValidate aria-label="Rotate key">
      <p>
        A new key with the same name, APIs and limits replaces it. Callers have the grace period to switch; then the old
        key expires.
      </p>
      <FormBanner title="The key was not rotated." form={form} />
      <TextField
        id="rotate-grace"
        label={grace.title}
        hint={grace.description}
        inputMode="numeric"
        value={seconds}
        {...form.bind("gracePeriodSeconds", setSeconds)}
      />
      <FormActions submit="Rotate key" submitting="Rotating…" pending={rotate.isPending} cancel={onClose} holdCancel />
    </form>
  );
}
