"use client";

import { type Consumer, consumerPatchSchema } from "@gatehouse/shared";
import { type FormEvent, useState } from "react";
import { useSchemaForm } from "@/lib/use-schema-form.ts";
import { PlanName } from "../plans/plan-name.tsx";
import { FormActions } from "../ui/form-actions.tsx";
import { FormBanner } from "../ui/form-banner.tsx";
import { Section } from "../ui/section.tsx";
import { ConsumerFields, consumerPayload, consumerValues } from "./consumer-fields.tsx";
import { useUpdateConsumer } from "./use-consumers.ts";

/** Name, groups and plan, read-only until "Edit"; saved as one PATCH. */
export function ConsumerDetails({ consumer }: { consumer: Consumer }) {
  const [editing, setEditing] = useState(false);
  return (
    <Section
      title="Details"
      actions={
        editing ? null : (
          <button type="button" className="button button-small" onClick={() => setEditing(true)}>
            Edit details
          </button>
        )
      }
    >
      {editing ? (
        <EditConsumerForm consumer={consumer} onDone={() => setEditing(false)} />
      ) : (
        <dl className="dl">
          <dt>Name</dt>
          <dd>{consumer.name}</dd>
          <dt>Groups</dt>
          <dd>
            {consumer.groups.length ? (
              <span className="route-line">
                {consumer.groups.map((group) => (
                  <span key={group} className="badge">
                    {group}
                  </span>
                ))}
              </span>
            ) : (
              <span className="faint">None</span>
            )}
          </dd>
          <dt>Plan</dt>
          <dd>
            <PlanName planId={consumer.planId} />
          </dd>
          <dt>Created</dt>
          <dd>{new Date(consumer.createdAt).toLocaleString()}</dd>
          <dt>ID</dt>
          <dd className="mono">{consumer.id}</dd>
        </dl>
      )}
    </Section>
  );
}

function EditConsumerForm({ consumer, onDone }: { consumer: Consumer; onDone: () => void }) {
  const update = useUpdateConsumer(consumer.id);
  const [values, setValues] = useState(() => consumerValues(consumer));
  const payload = consumerPayload(values);
  const form = useSchemaForm(consumerPatchSchema, payload);

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (!form.submit()) return;
    update.mutate(payload, { onSuccess: onDone, onError: form.fail });
  }

  return (
    <form className="form" onSubmit={onSubmit} noValidate aria-label="Consumer details">
      <FormBanner title="The changes were not saved." form={form} />
      <ConsumerFields idPrefix="edit-consumer" values={values} onChange={setValues} form={form} />
      <FormActions submit="Save" submitting="Saving…" pending={update.isPending} cancel={onDone} holdCancel />
    </form>
  );
}
