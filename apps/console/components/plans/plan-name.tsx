"use client";

import Link from "next/link";
import { usePlans } from "./use-plans.ts";

/** A consumer's plan by name, linked to the plans page; the id until the plans have loaded. */
export function PlanName({ planId }: { planId: string | null }) {
  const plans = usePlans();
  if (planId === null) return <span className="faint">None</span>;
  const plan = plans.data?.find((candidate) => candidate.id === planId);
  return <Link href="/plans">{plan?.name ?? <span className="mono">{planId}</span>}</Link>;
}
