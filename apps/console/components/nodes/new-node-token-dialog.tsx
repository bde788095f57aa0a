"use client";

import { fieldMeta, type NodeTokenIssued, nodeTokenCreateSchema } from "@gatehouse/shared";
import { type FormEvent, useState } from "react";
import { useSchemaForm } from "@/lib/use-schema-form.ts";
import { Dialog } from "../ui/dialog.tsx";
import { FormActions } from "../ui/form-actions.tsx";
import { FormBanner } from "../ui/form-banner.tsx";
import { TextField } from "../ui/text-field.tsx";
import { IssuedNodeTokenPanel } from "./issued-node-token-panel.tsx";
import type { useNodeTokenMutations } from "./use-nodes.ts";

type Create = ReturnType<typeof useNodeTokenMutations>["create"];

const nameMeta = fieldMeta(nodeTokenCreateSchema, "name");

export function NewNodeTokenDialog({ open, create, onClose }: { open: boolean; create: Create; onClose: () => void }) {
  return (
    <Dialog open={open} title="New node token" onClose={onClose} wide>
      <NewNodeTokenContent create={create} onClose={onClose} />
    </Dialog>
  );
}

function NewNodeTokenContent({ create, onClose }: { create: Create; onClose: () => void }) {
  const [issued, setIssued] = useState<NodeTokenIssued | null>(null);
  const [name, setName] = useState("");
  const payload = { name };
  const form = useSchemaForm(nodeTokenCreateSchema, payload);

  if (issued) {
    return (
      <div className="stack">
        <IssuedNodeTokenPanel issued={issued} />
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
    create.mutate(payload, { onSuccess: ({ data }) => setIssued(data), onError: form.fail });
  }

  return (
    <form className="form" onSubmit={onSubmit} noValidate aria-label="New node token">
      <FormBanner title="The token was not created." form={form} />
      <TextField
        id="node-token-name"
        label={nameMeta.title}
        hint={`${nameMeta.description}.`}
        value={name}
        autoComplete="off"
        {...form.bind("name", setName)}
      />
      <FormActions
        submit="Create token"
        submitting="Creating…"
        pending={create.isPending}
        cancel={onClose}
        holdCancel
      />
    </form>
  );
}
