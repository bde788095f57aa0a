"use client";

import {
  type ApiCreate,
  apiCreateSchema,
  fieldMeta,
  type HttpMethod,
  routeInputSchema,
  targetInputSchema,
} from "@gatehouse/shared";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { type FormEvent, useState } from "react";
import { ApiError } from "@/lib/api-client.ts";
import { optionalInt } from "@/lib/form-values.ts";
import { useSchemaForm } from "@/lib/use-schema-form.ts";
import { MethodsField } from "../routes/methods-field.tsx";
import { newPathRow, PathListField, type PathRow } from "../routes/path-list-field.tsx";
import { Banner } from "../ui/banner.tsx";
import { CheckboxField } from "../ui/checkbox-field.tsx";
import { TextField } from "../ui/text-field.tsx";
import { newTargetRow, type TargetRow, TargetRowsField } from "../upstreams/target-rows-field.tsx";
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
/** Server field paths this form draws next to a field; anything else goes to the banner. */
const isPlaced = (path: string) =>
  /^(name|description)$/.test(path) ||
  /^routes\.0\.(paths|methods)(\.|$)/.test(path) ||
  /^upstream\.targets(\.\d+\.(url|weight))?$/.test(path);

const sentence = (text: string) => (/[.!?]$/.test(text) ? text : `${text}.`);
const hasServerFields = (error: Error) => error instanceof ApiError && error.fields.length > 0;

/** "New API": one route and a new upstream pool, created in one request (and one transaction). */
export function NewApiForm() {
  const router = useRouter();
  const create = useCreateApi();
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const [paths, setPaths] = useState<PathRow[]>(() => [newPathRow()]);
  const [methods, setMethods] = useState<HttpMethod[]>([]);
  const [stripPath, setStripPath] = useState(true);
  const [targets, setTargets] = useState<TargetRow[]>(() => [newTargetRow()]);

  const payload: ApiCreate = {
    name,
    description,
    routes: [{ paths: paths.map((p) => p.value.trim()), methods, stripPath }],
    upstream: {
      targets: targets.map((t) => ({ url: t.url.trim(), weight: optionalInt(t.weight) as number | undefined })),
    },
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

  const unplaced = form.unplacedServerFields(isPlaced);

  return (
    <form className="form" onSubmit={onSubmit} noValidate aria-label="New API">
      {form.serverError ? (
        <Banner title="The API was not created.">
          {sentence(form.serverError.message)}
          {unplaced.length === 0 && hasServerFields(form.serverError) ? " Check the highlighted fields." : null}
          {unplaced.length > 0 ? (
            <ul>
              {unplaced.map((f) => (
                <li key={f.path}>
                  <code>{f.path}</code>: {f.message}
                </li>
              ))}
            </ul>
          ) : null}
        </Banner>
      ) : null}

      <section className="section">
        <div className="section-header">
          <div>
            <h2>General</h2>
          </div>
        </div>
        <div className="section-body form">
          <TextField
            id="api-name"
            label={meta.name.title}
            hint={meta.name.description}
            value={name}
            autoComplete="off"
            onChange={(e) => {
              setName(e.target.value);
              form.changed("name");
            }}
            onBlur={() => form.blur("name")}
            error={form.errorFor("name")}
            required
          />
          <TextField
            id="api-description"
            label={meta.description.title}
            hint="Optional"
            value={description}
            onChange={(e) => {
              setDescription(e.target.value);
              form.changed("description");
            }}
            onBlur={() => form.blur("description")}
            error={form.errorFor("description")}
          />
        </div>
      </section>

      <section className="section">
        <div className="section-header">
          <div>
            <h2>Route</h2>
            <p>Which requests the gateway sends to this API. Add more routes on the API’s page.</p>
          </div>
        </div>
        <div className="section-body form">
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
      </section>

      <section className="section">
        <div className="section-header">
          <div>
            <h2>Upstream</h2>
            <p>Where the gateway forwards the requests. A new pool is created, named after the API.</p>
          </div>
        </div>
        <div className="section-body form">
          <TargetRowsField
            idPrefix="target"
            hint={meta.url.description}
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
        </div>
      </section>

      <div className="form-actions">
        <Link className="button" href="/apis">
          Cancel
        </Link>
        <button type="submit" className="button button-primary" disabled={create.isPending}>
          {create.isPending ? "Creating…" : "Create API"}
        </button>
      </div>
    </form>
  );
}
