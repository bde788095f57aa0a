"use client";

import { type ApiDetail, apiCreateSchema, apiPatchSchema, fieldMeta } from "@gatehouse/shared";
import { type FormEvent, useState } from "react";
import { useSchemaForm } from "@/lib/use-schema-form.ts";
import { Dialog } from "../ui/dialog.tsx";
import { FormActions } from "../ui/form-actions.tsx";
import { FormBanner } from "../ui/form-banner.tsx";
import { TextField } from "../ui/text-field.tsx";
import { TextareaField } from "../ui/textarea-field.tsx";
import { useDialog } from "../ui/use-dialog.ts";
import { useUpdateApi } from "./use-apis.ts";

const meta = { name: fieldMeta(apiCreateSchema, "name"), description: fieldMeta(apiCreateSchema, "description") };

/** "Edit details" on an API's page: its name and description, saved as one PATCH. */
export function EditApiDetails({ api }: { api: ApiDetail }) {
  const dialog = useDialog<true>();
  return (
    <>
      <button type="button" className="button" onClick={() => dialog.open(true)}>
        Edit details
      </button>
      <Dialog open={dialog.isOpen} title={`Edit ${api.name}`} onClose={dialog.close}>
        <ApiDetailsForm api={api} onDone={dialog.close} />
      </Dialog>
    </>
  );
}

function ApiDetailsForm({ api, onDone }: { api: ApiDetail; onDone: () => void }) {
  const update = useUpdateApi(api.id);
  const [name, setName] = useState(api.name);
  const [description, setDescription] = useState(api.description);
  const payload = { name, description };
  const form = useSchemaForm(apiPatchSchema, payload);

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (!form.submit()) return;
    update.mutate(payload, { onSuccess: onDone, onError: form.fail });
  }

  return (
    <form className="form" onSubmit={onSubmit} noValidate aria-label="API details">
      <FormBanner title="The changes were not saved." form={form} />
      <TextField
        id="edit-api-name"
        label={meta.name.title}
        hint={meta.name.description}
        value={name}
        autoComplete="off"
        {...form.bind("name", setName)}
      />
      <TextareaField
        id="edit-api-description"
        label={meta.description.title}
        hint="Optional; shown under the name in the API list."
        value={description}
        className="textarea"
        {...form.bind("description", setDescription)}
      />
      <FormActions submit="Save" submitting="Saving…" pending={update.isPending} cancel={onDone} holdCancel />
    </form>
  );
}
