import type { ConfigPlan } from "@gatehouse/shared";

const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** A plan's counts as the sentence a preview leads with: "create 1, update 2, delete 0". */
export function summaryText({ create, update, delete: remove }: ConfigPlan["summary"]): string {
  return `create ${create}, update ${update}, delete ${remove}`;
}

/** What an applied plan did, as its confirmation says it. */
export function appliedText(plan: ConfigPlan): string {
  if (!plan.applied) return "Nothing changed: the config already matches";
  const changed = plan.summary.create + plan.summary.update + plan.summary.delete;
  return `Applied as revision ${plan.revision} (${count(changed, "object", "objects")} changed)`;
}
