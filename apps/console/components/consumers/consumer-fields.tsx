"use client";

import { type Consumer, type ConsumerCreate, consumerCreateSchema, fieldMeta } from "@gatehouse/shared";
import type { SchemaForm } from "@/lib/use-schema-form.ts";
import { usePlans } from "../plans/use-plans.ts";
import { SelectField } from "../ui/select-field.tsx";
import { TextField } from "../ui/text-field.tsx";

const meta = {
  name: fieldMeta(consumerCreateSchema, "name"),
  groups: fieldMeta(consumerCreateSchema, "groups"),
  planId: fieldMeta(consumerCreateSchema, "planId"),
};

export interface ConsumerValues {
  name: string;
  groups: string;
  plan: string;
}

export const emptyConsumerValues: ConsumerValues = { name: "", groups: "", plan: "" };

export function consumerValues(consumer: Consumer): ConsumerValues {
  return { name: consumer.name, groups: consumer.groups.join(", "), plan: consumer.planId ?? "" };
}

/** Commas only: a group with a space in it should meet the schema's "single words" check, not be split silently. */
const splitGroups = (raw: string) =>
  raw
    .split(",")
    .map((group) => group.trim())
    .filter(Boolean);

export function consumerPayload(values: ConsumerValues): ConsumerCreate {
  return { name: values.name, groups: splitGroups(values.groups), planId: values.plan.trim() || null };
}

interface ConsumerFieldsProps {
  idPrefix: string;
  values: ConsumerValues;
  onChange: (values: ConsumerValues) => void;
  form: SchemaForm;
}

export function ConsumerFields({ idPrefix, values, onChange, form }: ConsumerFieldsProps) {
  const plans = usePlans();
  const set = (key: keyof ConsumerValues) => (value: string) => onChange({ ...values, [key]: value });
  return (
    <>
      <TextField
        id={`${idPrefix}-name`}
        label={meta.name.title}
        hint={meta.name.description}
        value={values.name}
        autoComplete="off"
        required
        {...form.bind("name", set("name"))}
      />
      <div className="grid-2">
        <TextField
          id={`${idPrefix}-groups`}
          label={meta.groups.title}
          hint={`Optional, comma-separated. ${meta.groups.description}.`}
          value={values.groups}
          autoComplete="off"
          placeholder="partners, internal"
          {...form.bind("groups", set("groups"), true)}
        />
        <SelectField
          id={`${idPrefix}-plan`}
          label={meta.planId.title}
          hint={
            plans.isError
              ? "The plans could not be loaded."
              : `Optional. ${meta.planId.description}; plans are set up under Plans.`
          }
          value={values.plan}
          options={[
            { value: "", label: "No plan" },
            ...(plans.data ?? []).map((plan) => ({ value: plan.id, label: plan.name })),
            // A plan not (yet) in the list still shows as chosen, by id.
            ...(values.plan && !plans.data?.some((plan) => plan.id === values.plan)
              ? [{ value: values.plan, label: values.plan }]
              : []),
          ]}
          {...form.bind("planId", set("plan"))}
        />
      </div>
    </>
  );
}
