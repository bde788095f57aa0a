import { CONFIG_OBJECT_KINDS, type ConfigChange, type ConfigPlan } from "@gatehouse/shared";

const MARK: Record<ConfigChange["action"], string> = { create: "+", update: "~", delete: "-" };

/** A plan as lines: per kind, `+ name` to create, `~ name: field, field` to update, `- name` to delete. */
export function planLines(plan: ConfigPlan): string[] {
  if (plan.changes.length === 0) return ["no changes"];
  const lines: string[] = [];
  for (const kind of CONFIG_OBJECT_KINDS) {
    const changes = plan.changes.filter((change) => change.kind === kind);
    if (changes.length === 0) continue;
    lines.push(`${kind}s`);
    for (const change of changes) {
      const fields = change.action === "update" && change.fields.length > 0 ? `: ${change.fields.join(", ")}` : "";
      lines.push(`  ${MARK[change.action]} ${change.name}${change.id ? ` (${change.id})` : ""}${fields}`);
    }
  }
  const { create, update, delete: remove } = plan.summary;
  lines.push(`${create} to create, ${update} to update, ${remove} to delete`);
  return lines;
}

export const hasChanges = (plan: ConfigPlan) => plan.changes.length > 0;
