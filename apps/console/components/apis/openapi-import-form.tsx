"use client";

import { type ConfigPlan, fieldMeta, type OpenApiImport, openApiImportSchema } from "@gatehouse/shared";
import { useRouter } from "next/navigation";
import { type ChangeEvent, type FormEvent, useState } from "react";
import { useSchemaForm } from "@/lib/use-schema-form.ts";
import { CheckboxField } from "../ui/checkbox-field.tsx";
import { FormBanner } from "../ui/form-banner.tsx";
import { Section } from "../ui/section.tsx";
import { TextField } from "../ui/text-field.tsx";
import { TextareaField } from "../ui/textarea-field.tsx";
import { OpenApiImportPreview } from "./openapi-import-preview.tsx";
import { PoolChoice, type PoolMode } from "./pool-choice.tsx";
import { useImportOpenApi } from "./use-apis.ts";

const meta = {
  name: fieldMeta(openApiImportSchema, "name"),
  attachValidation: fieldMeta(openApiImportSchema, "attachValidation"),
};

/** "Import from OpenAPI": a document becomes an API, shown as a preview (a dry run) before it is saved. */
export function OpenApiImportForm() {
  const router = useRouter();
  const importing = useImportOpenApi();
  const [document, setDocument] = useState("");
  const [name, setName] = useState("");
  const [pool, setPool] = useState<PoolMode>("new");
  const [upstreamId, setUpstreamId] = useState("");
  const [attachValidation, setAttachValidation] = useState(false);
  // The plan previewed for exactly what the fields hold now; an edit drops it, so Import saves what was shown.
  const [preview, setPreview] = useState<ConfigPlan | null>(null);
  const [poolAsked, setPoolAsked] = useState(false);

  const payload: OpenApiImport = {
    document,
    ...(name.trim() ? { name } : {}),
    ...(pool === "existing" && upstreamId ? { upstreamId } : {}),
    attachValidation,
  };
  const form = useSchemaForm(openApiImportSchema, payload);
  const poolMissing = pool === "existing" && !upstreamId;
  const edited =
    <T,>(set: (value: T) => void) =>
    (value: T) => {
      set(value);
      setPreview(null);
    };

  function send(dryRun: boolean) {
    setPoolAsked(true);
    if (!form.submit() || poolMissing) return;
    importing.mutate(
      { ...payload, dryRun },
      {
        onSuccess: ({ data }) => {
          const api = data.changes.find((c) => c.kind === "api");
          if (!dryRun && api?.id) router.push(`/apis/${api.id}`);
          // A dry run, or an import that found nothing left to change since its preview: show the plan.
          else setPreview(data);
        },
        onError: (error) => {
          setPreview(null);
          form.fail(error);
        },
      },
    );
  }

  async function pick(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    if (!file) return;
    edited(setDocument)(await file.text());
    form.changed("document");
  }

  return (
    <form
      className="form"
      noValidate
      aria-label="Import from OpenAPI"
      onSubmit={(event: FormEvent) => {
        event.preventDefault();
        send(false);
      }}
    >
      <FormBanner title="The document was not imported." form={form} />
      <Section title="Document" description="An OpenAPI 3.0 or 3.1 document: each operation becomes a route.">
        <div className="form">
          <label className="row">
            <span>OpenAPI file (YAML or JSON)</span>
            <input type="file" accept=".yaml,.yml,.json,application/json,application/yaml" onChange={pick} />
          </label>
          <TextareaField
            id="openapi-import-document"
            label="Or paste the document"
            rows={10}
            value={document}
            {...form.bind("document", edited(setDocument))}
          />
        </div>
      </Section>
      <Section title="API" description="Importing the same document again updates the API of that name.">
        <div className="form">
          <TextField
            id="openapi-import-name"
            label={meta.name.title}
            hint={meta.name.description}
            value={name}
            autoComplete="off"
            {...form.bind("name", edited(setName))}
          />
          <PoolChoice
            mode={pool}
            newLabel="A new pool at the document's server URL"
            onMode={(mode) => {
              edited(setPool)(mode);
              form.changed("upstreamId");
              form.changed("document.servers");
            }}
            upstreamId={upstreamId}
            onUpstreamId={(id) => {
              edited(setUpstreamId)(id);
              form.changed("upstreamId");
            }}
            error={form.errorFor("upstreamId") ?? (poolAsked && poolMissing ? "Choose a pool" : undefined)}
          />
          {pool === "new" && form.errorFor("document.servers") ? (
            <p className="field-error" role="alert">
              {form.errorFor("document.servers")}
            </p>
          ) : null}
          <CheckboxField
            id="openapi-import-validation"
            label={meta.attachValidation.title}
            hint={meta.attachValidation.description}
            checked={attachValidation}
            onChange={edited(setAttachValidation)}
          />
        </div>
      </Section>
      {preview ? (
        <Section title="Preview">
          <OpenApiImportPreview plan={preview} />
        </Section>
      ) : null}
      <div className="form-actions">
        <button type="button" className="button" disabled={importing.isPending} onClick={() => send(true)}>
          {importing.isPending && importing.variables?.dryRun ? "Previewing…" : "Preview"}
        </button>
        <button
          type="submit"
          className="button button-primary"
          disabled={!preview || preview.changes.length === 0 || importing.isPending}
        >
          {importing.isPending && !importing.variables?.dryRun ? "Importing…" : "Import"}
        </button>
      </div>
    </form>
  );
}
