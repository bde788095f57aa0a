"use client";

import type { ComponentProps } from "react";
import { SelectField } from "../ui/select-field.tsx";
import { useUpstreamList } from "../upstreams/use-upstreams.ts";

/** The Admin API lists at most 200 per page. */
const ALL_POOLS = { limit: 200 };

type UpstreamFieldProps = Omit<ComponentProps<typeof SelectField>, "options">;

/** A policy field that names an upstream pool (a canary, a mirror): a pick of the pools there are. */
export function UpstreamField(props: UpstreamFieldProps) {
  const pools = useUpstreamList(ALL_POOLS);
  const options = [
    { value: "", label: pools.isPending ? "Loading pools…" : "Choose a pool" },
    ...(pools.data?.data ?? []).map((pool) => ({ value: pool.id, label: pool.name })),
  ];
  return <SelectField {...props} options={options} />;
}
