"use client";

import {
  type ApiCreate,
  apiCreateSchema,
  fieldMeta,
  type HttpMethod,
  routeInputSchema,
  targetInputSchema,
} from "@gatehouse/shared";
import { useRouter } from "next/navigation";
import { type FormEvent, useState } from "react";
import { optionalInt } from "@/lib/form-values.ts";
import { useSchemaForm } from "@/lib/use-schema-form.ts";
import { MethodsField } from "../routes/methods-field.tsx";
import { newPathRow, PathListField, type PathRow } from "../routes/path-list-field.tsx";
import { CheckboxField } from "../ui/checkbox-field.tsx";
import { FormActions } from "../ui/form-actions.tsx";
import { FormBanner } from "../ui/form-banner.tsx";
import { Section } from "../ui/section.tsx";
import { TextField } from "../ui/text-field.tsx";
import { newTargetRow, type TargetRow, TargetRowsField } from "../upstreams/target-rows-field.tsx";
import { PoolChoice, type PoolMode } from "./pool-choice.tsx";
import { useCreateApi } from "./use-apis.ts";

const meta = {
  name: fieldMeta(apiCreateSchema, "name"),
  description: fieldMeta(apiCreateSchema, "description"),
  paths: fieldMeta(routeInputSchema, "paths"),
  methods: fieldMeta(routeInputSchema, "methods"),
  stripPath: fieldMeta(routeInputSchema, "stripPath"),
  url: fieldMeta(targetInputSchema, "url"),
  weight: fieldMeta(targetInputSchema, "weight"),
};

const ROUTE = "routes.0";
const TARGETS = "upstream.targets";

/** "New API": one route, and a new upstream pool or an existing one, created in one request (and one transaction). */
export function NewApiForm() {
  const router = useRouter();
  const create = useCreateApi();
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const [paths, setPaths] = useState<PathRow[]>(() => [newPathRow()]);
  const [methods, setMethods] = useState<HttpMethod[]>([]);
  const [stripPath, setStripPath] = useState(true);
  const [pool, setPool] = useState<PoolMode>("new");
  const [upstreamId, setUpstreamId] = useState("");
  const [targets, setTargets] = useState<TargetRow[]>(() => [newTargetRow()]);

  const payload: ApiCreate = {
    name,
    description,
    routes: [{ paths: paths.map((p) => p.value.trim()), methods, stripPath }],
    ...(pool === "existing"
      ? { upstreamId: upstreamId || undefined }
      : {
          upstream: {
            targets: targets.map((t) => ({ url: t.url.trim(), weight: optionalInt(t.weight) as number | undefined })),
          },
        }),
  };
  const form = useSchemaForm(apiCreateSchema, payload);

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (!form.submit()) return;
    // Send what the user typed; the server applies the schema's defaults itself.
    create.mutate(payload, {
      onSuccess: ({ data }) => router.push(`/apis/${data.id}`),
      onError: form.fail,
    });
  }

  return (
    <form className="form" onSubmit={onSubmit} noValidate aria-label="New API">
      <FormBanner title="The API was not created." form={form} />

      <Section title="General">
        <div className="form">
          <TextField
            id="api-name"
            label={meta.name.title}
            hint={meta.name.description}
            value={name}
            autoComplete="off"
            {...form.bind("name", setName)}
            required
          />
          <TextField
            id="api-description"
            label={meta.description.title}
            hint="Optional"
            value={description}
            {...form.bind("description", setDescription)}
          />
        </div>
      </Section>

      <Section
        title="Route"
        description="Which requests the gateway sends to this API. Add more routes on the API’s page."
      >
        <div className="form">
          <PathListField
            idPrefix="route-path"
            legend={meta.paths.title}
            hint={meta.paths.description}
            rows={paths}
            onChange={(rows, index) => {
              setPaths(rows);
              form.changed(`${ROUTE}.paths.${index}`);
              form.changed(`${ROUTE}.paths`);
            }}
            onBlurAt={(index) => form.blur(`${ROUTE}.paths.${index}`)}
            errorAt={(index) => form.errorFor(`${ROUTE}.paths.${index}`, true)}
            listError={form.errorFor(`${ROUTE}.paths`)}
          />
          <MethodsField
            idPrefix="route-method"
            legend={meta.methods.title}
            hint={meta.methods.description}
            value={methods}
            onChange={(next) => {
              setMethods(next);
              form.changed(`${ROUTE}.methods`);
            }}
            error={form.errorFor(`${ROUTE}.methods`, true)}
          />
          <CheckboxField
            id="route-strip-path"
            label={meta.stripPath.title}
            hint={meta.stripPath.description}
            checked={stripPath}
            onChange={setStripPath}
          />
        </div>
      </Section>

      <Section
        title="Upstream"
        description="Where the gateway forwards the requests: a new pool, or one you already have."
      >
        <div className="form">
          <PoolChoice
            mode={pool}
            onMode={(mode) => {
              setPool(mode);
              form.changed("upstreamId");
              form.changed("upstream");
            }}
            upstreamId={upstreamId}
            onUpstreamId={(id) => {
              setUpstreamId(id);
              form.changed("upstreamId");
            }}
            error={pool === "existing" ? form.errorFor("upstreamId") : undefined}
          />
          {pool === "new" ? (
            <TargetRowsField
              idPrefix="target"
              hint={`${meta.url.description}. The pool is named after the API.`}
              weightHint={meta.weight.description}
              rows={targets}
              onChange={(rows, changed) => {
                setTargets(rows);
                form.changed(`${TARGETS}.${changed}`);
                form.changed(TARGETS);
              }}
              onBlur={(path) => form.blur(`${TARGETS}.${path}`)}
              errorFor={(path) => form.errorFor(`${TARGETS}.${path}`, true)}
              listError={form.errorFor(TARGETS)}
            />
          ) : null}
        </div>
      </Section>

      <FormActions submit="Create API" submitting="Creating…" pending={create.isPending} cancel="/apis" />
    </form>
  );
}
