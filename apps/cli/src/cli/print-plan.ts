import { CONFIG_OBJECT_KINDS, type ConfigChange, type ConfigObjectKind, type ConfigPlan } from "@gatehouse/shared";

const MARK: Record<ConfigChange["action"], string> = { create: "+", update: "~", delete: "-" };

const HEADING: Record<ConfigObjectKind, string> = {
  upstream: "upstreams",
  api: "apis",
  plan: "plans",
  consumer: "consumers",
  policy: "policies",
};

/** A plan as lines: per kind, `+ name` to create, `~ name (id): field, field` to update, `- name (id)` to delete. */
export function planLines(plan: ConfigPlan): string[] {
  if (plan.changes.length === 0) return ["no changes"];
  const lines: string[] = [];
  for (const kind of CONFIG_OBJECT_KINDS) {
    const changes = plan.changes.filter((change) => change.kind === kind);
    if (changes.length === 0) continue;
    lines.push(HEADING[kind]);
    for (const change of changes) {
      const fields = change.action === "update" && change.fields.length > 0 ? `: ${change.fields.join(", ")}` : "";
      // A created object's id is made when it is written, so a plan's would not be the one it gets.
      const id = change.id && change.action !== "create" ? ` (${change.id})` : "";
      lines.push(`  ${MARK[change.action]} ${change.name}${id}${fields}`);
    }
  }
  const { create, update, delete: remove } = plan.summary;
  lines.push(`${create} to create, ${update} to update, ${remove} to delete`);
  return lines;
}

export const hasChanges = (plan: ConfigPlan) => plan.changes.length > 0;
