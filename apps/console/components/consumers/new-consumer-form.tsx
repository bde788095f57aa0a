"use client";

import { consumerCreateSchema } from "@gatehouse/shared";
import { useRouter } from "next/navigation";
import { type FormEvent, useEffect, useState } from "react";
import { useSchemaForm } from "@/lib/use-schema-form.ts";
import { FormActions } from "../ui/form-actions.tsx";
import { FormBanner } from "../ui/form-banner.tsx";
import { ConsumerFields, consumerPayload, emptyConsumerValues } from "./consumer-fields.tsx";
import { useCreateConsumer } from "./use-consumers.ts";

export function NewConsumerForm({ onCancel }: { onCancel: () => void }) {
  const router = useRouter();
  const create = useCreateConsumer();
  const [values, setValues] = useState(emptyConsumerValues);
  const payload = consumerPayload(values);
  const form = useSchemaForm(consumerCreateSchema, payload);

  // The button that opened the form is gone; without this, focus would fall back to the page.
  useEffect(() => document.getElementById("new-consumer-name")?.focus(), []);

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (!form.submit()) return;
    // Keys are issued on the consumer's page, so that is where a new consumer leads.
    create.mutate(payload, {
      onSuccess: ({ data }) => router.push(`/consumers/${data.id}`),
      onError: form.fail,
    });
  }

  return (
    <form className="form" onSubmit={onSubmit} noValidate aria-label="New consumer">
      <FormBanner title="The consumer was not created." form={form} />
      <ConsumerFields idPrefix="new-consumer" values={values} onChange={setValues} form={form} />
      <FormActions submit="Create consumer" submitting="Creating…" pending={create.isPending} cancel={onCancel} />
    </form>
  );
}
