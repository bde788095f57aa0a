"use client";

import type { ComponentProps } from "react";
import { SelectField } from "../ui/select-field.tsx";
import { useAllUpstreams } from "../upstreams/use-upstreams.ts";

type UpstreamFieldProps = Omit<ComponentProps<typeof SelectField>, "options">;

/** A policy field that names an upstream pool (a canary, a mirror): a pick of the pools there are. */
export function UpstreamField(props: UpstreamFieldProps) {
  const pools = useAllUpstreams();
  const options = [
    { value: "", label: pools.isPending ? "Loading pools…" : "Choose a pool" },
    ...(pools.data?.data ?? []).map((pool) => ({ value: pool.id, label: pool.name })),
  ];
  return <SelectField {...props} options={options} />;
}
