"use client";

import { type CertificateCreate, certificateCreateSchema, fieldMeta } from "@gatehouse/shared";
import { type FormEvent, useId, useState } from "react";
import { useSchemaForm } from "@/lib/use-schema-form.ts";
import { FormActions } from "../ui/form-actions.tsx";
import { FormBanner } from "../ui/form-banner.tsx";
import { TextareaField } from "../ui/textarea-field.tsx";

interface CertificateFormProps {
  pending: boolean;
  onSubmit: (input: CertificateCreate, fail: (error: unknown) => void) => void;
  onCancel: () => void;
}

const meta = (key: string) => fieldMeta(certificateCreateSchema, key);

/** A PEM chain and its key; the server checks they belong together and says which field is wrong. */
export function CertificateForm({ pending, onSubmit, onCancel }: CertificateFormProps) {
  const id = useId();
  const [cert, setCert] = useState("");
  const [key, setKey] = useState("");
  const payload = { cert, key };
  const form = useSchemaForm(certificateCreateSchema, payload);

  function submit(event: FormEvent) {
    event.preventDefault();
    if (form.submit()) onSubmit(payload, form.fail);
  }

  return (
    <form className="form" onSubmit={submit} noValidate aria-label="Upload certificate">
      <FormBanner title="The certificate was not saved." form={form} />
      <TextareaField
        id={`${id}-cert`}
        label={meta("cert").title}
        hint={meta("cert").description}
        rows={6}
        spellCheck={false}
        placeholder="-----BEGIN CERTIFICATE-----"
        value={cert}
        {...form.bind("cert", setCert)}
      />
      <TextareaField
        id={`${id}-key`}
        label={meta("key").title}
        hint={meta("key").description}
        rows={6}
        spellCheck={false}
        autoComplete="off"
        placeholder="-----BEGIN PRIVATE KEY-----"
        value={key}
        {...form.bind("key", setKey)}
      />
      <FormActions submit="Upload certificate" submitting="Uploading…" pending={pending} cancel={onCancel} holdCancel />
    </form>
  );
}
