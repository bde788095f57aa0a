"use client";

import {
  activeHealthCheckSchema,
  type BalancingAlgorithm,
  fieldApplies,
  fieldMeta,
  passiveHealthCheckSchema,
  type Upstream,
  upstreamCreateSchema,
  upstreamPatchSchema,
  upstreamSettingsSchema,
} from "@gatehouse/shared";
import { type FormEvent, useState } from "react";
import { optionalInt } from "@/lib/form-values.ts";
import { useSchemaForm } from "@/lib/use-schema-form.ts";
import { CheckboxField } from "../ui/checkbox-field.tsx";
import { FormBanner } from "../ui/form-banner.tsx";
import { SelectField } from "../ui/select-field.tsx";
import { TextField } from "../ui/text-field.tsx";
import { useUpdateUpstream } from "./use-upstreams.ts";

export const ALGORITHMS: ReadonlyArray<{ value: BalancingAlgorithm; label: string }> = [
  { value: "round-robin", label: "Round-robin (weighted)" },
  { value: "least-connections", label: "Least connections (weighted)" },
  { value: "consistent-hash", label: "Consistent hash" },
];

type Values = ReturnType<typeof initialValues>;

function initialValues(u: Upstream) {
  const { active, passive } = u.healthChecks;
  return {
    algorithm: u.algorithm as string,
    hashBy: u.hashOn.by as string,
    hashHeader: u.hashOn.by === "header" ? u.hashOn.header : "",
    retries: String(u.retries),
    connectTimeoutMs: String(u.connectTimeoutMs),
    sendTimeoutMs: String(u.sendTimeoutMs),
    readTimeoutMs: String(u.readTimeoutMs),
    activeEnabled: active.enabled,
    activePath: active.path,
    activeIntervalMs: String(active.intervalMs),
    activeTimeoutMs: String(active.timeoutMs),
    activeHealthy: String(active.healthyThreshold),
    activeUnhealthy: String(active.unhealthyThreshold),
    passiveEnabled: passive.enabled,
    passiveFailures: String(passive.failures),
    passiveCooldownMs: String(passive.cooldownMs),
  };
}

function payloadOf(v: Values, u: Upstream) {
  return {
    algorithm: v.algorithm,
    hashOn:
      v.hashBy === "header"
        ? { by: "header", header: v.hashHeader.trim() }
        : { by: v.hashBy === "consumer" ? "consumer" : "ip" },
    retries: optionalInt(v.retries),
    connectTimeoutMs: optionalInt(v.connectTimeoutMs),
    sendTimeoutMs: optionalInt(v.sendTimeoutMs),
    readTimeoutMs: optionalInt(v.readTimeoutMs),
    healthChecks: {
      active: {
        enabled: v.activeEnabled,
        path: v.activePath.trim(),
        intervalMs: optionalInt(v.activeIntervalMs),
        timeoutMs: optionalInt(v.activeTimeoutMs),
        healthyThreshold: optionalInt(v.activeHealthy),
        unhealthyThreshold: optionalInt(v.activeUnhealthy),
        expectedStatuses: u.healthChecks.active.expectedStatuses,
      },
      passive: {
        enabled: v.passiveEnabled,
        failures: optionalInt(v.passiveFailures),
        cooldownMs: optionalInt(v.passiveCooldownMs),
      },
    },
  };
}

const title = (schema: Parameters<typeof fieldMeta>[0], key: string) => fieldMeta(schema, key).title;

/** The form's inputs for each health-check field, in the order they are drawn. */
const ACTIVE = [
  ["activePath", "path"],
  ["activeIntervalMs", "intervalMs"],
  ["activeTimeoutMs", "timeoutMs"],
  ["activeHealthy", "healthyThreshold"],
  ["activeUnhealthy", "unhealthyThreshold"],
] as const;
const PASSIVE = [
  ["passiveFailures", "failures"],
  ["passiveCooldownMs", "cooldownMs"],
] as const;

/** Balancing, retries, timeouts and health checks of one pool, saved as one PATCH. */
export function PoolSettingsForm({
  upstream,
  onSaved,
}: {
  upstream: Upstream;
  onSaved: (revision: number | null) => void;
}) {
  const [initial] = useState(() => initialValues(upstream));
  const [values, setValues] = useState(initial);
  const update = useUpdateUpstream(upstream.id, onSaved);
  const form = useSchemaForm(upstreamPatchSchema, payloadOf(values, upstream));
  const dirty = (Object.keys(values) as Array<keyof Values>).some((key) => values[key] !== initial[key]);
  const id = (name: string) => `${upstream.id}-${name}`;

  function set<K extends keyof Values>(key: K, path: string) {
    return (value: Values[K]) => {
      setValues((prev) => ({ ...prev, [key]: value }));
      form.changed(path);
    };
  }

  function text(key: keyof Values, path: string, label: string, hint?: string) {
    return (
      <TextField
        key={path}
        id={id(path)}
        label={label}
        hint={hint}
        value={values[key] as string}
        {...form.bind(path, (v) => setValues((prev) => ({ ...prev, [key]: v })))}
      />
    );
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    const patch = form.submit();
    if (patch) update.mutate(patch, { onError: form.fail });
  }

  return (
    <form className="form" onSubmit={submit} noValidate aria-label="Pool settings">
      <FormBanner title="The pool settings were not saved." form={form} />
      <div className="grid-2">
        <SelectField
          id={id("algorithm")}
          label={title(upstreamCreateSchema, "algorithm")}
          options={ALGORITHMS}
          value={values.algorithm}
          error={form.errorFor("algorithm")}
          onChange={(e) => set("algorithm", "algorithm")(e.target.value)}
        />
        {text(
          "retries",
          "retries",
          title(upstreamCreateSchema, "retries"),
          fieldMeta(upstreamCreateSchema, "retries").description,
        )}
      </div>
      {fieldApplies(upstreamSettingsSchema, "hashOn", { algorithm: values.algorithm }) ? (
        <div className="grid-2">
          <SelectField
            id={id("hash-by")}
            label="Hash on"
            options={[
              { value: "ip", label: "Client IP" },
              { value: "consumer", label: "The consumer (needs an auth policy; else the client IP)" },
              { value: "header", label: "A request header" },
            ]}
            value={values.hashBy}
            onChange={(e) => set("hashBy", "hashOn")(e.target.value)}
          />
          {values.hashBy === "header" ? text("hashHeader", "hashOn.header", "Header name") : <div />}
        </div>
      ) : null}
      <div className="grid-3">
        {text("connectTimeoutMs", "connectTimeoutMs", `${title(upstreamCreateSchema, "connectTimeoutMs")} (ms)`)}
        {text("sendTimeoutMs", "sendTimeoutMs", `${title(upstreamCreateSchema, "sendTimeoutMs")} (ms)`)}
        {text("readTimeoutMs", "readTimeoutMs", `${title(upstreamCreateSchema, "readTimeoutMs")} (ms)`)}
      </div>
      <fieldset className="fieldset">
        <legend>Active health checks</legend>
        <CheckboxField
          id={id("active-enabled")}
          label={title(activeHealthCheckSchema, "enabled")}
          hint={fieldMeta(activeHealthCheckSchema, "enabled").description}
          checked={values.activeEnabled}
          onChange={set("activeEnabled", "healthChecks.active.enabled")}
        />
        <div className="grid-3">
          {ACTIVE.filter(([, key]) =>
            fieldApplies(activeHealthCheckSchema, key, { enabled: values.activeEnabled }),
          ).map(([input, key]) => text(input, `healthChecks.active.${key}`, title(activeHealthCheckSchema, key)))}
        </div>
      </fieldset>
      <fieldset className="fieldset">
        <legend>Passive health checks</legend>
        <CheckboxField
          id={id("passive-enabled")}
          label={title(passiveHealthCheckSchema, "enabled")}
          hint={fieldMeta(passiveHealthCheckSchema, "enabled").description}
          checked={values.passiveEnabled}
          onChange={set("passiveEnabled", "healthChecks.passive.enabled")}
        />
        <div className="grid-2">
          {PASSIVE.filter(([, key]) =>
            fieldApplies(passiveHealthCheckSchema, key, { enabled: values.passiveEnabled }),
          ).map(([input, key]) =>
            text(
              input,
              `healthChecks.passive.${key}`,
              title(passiveHealthCheckSchema, key),
              fieldMeta(passiveHealthCheckSchema, key).description,
            ),
          )}
        </div>
      </fieldset>
      <div className="form-actions">
        <button type="submit" className="button button-small" disabled={!dirty || update.isPending}>
          {update.isPending ? "Saving…" : "Save pool settings"}
        </button>
      </div>
    </form>
  );
}
