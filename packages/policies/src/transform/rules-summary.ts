import type { Rules } from "./rules-schema.ts";

/** "headers: set 2, remove 1", or "" when there is no rule. */
export function rulesInWords(what: string, rules: Rules): string {
  const counts = [
    ["add", Object.keys(rules.add).length],
    ["set", Object.keys(rules.set).length],
    ["remove", rules.remove.length],
    ["rename", Object.keys(rules.rename).length],
  ] as const;
  const said = counts.filter(([, n]) => n > 0).map(([verb, n]) => `${verb} ${n}`);
  return said.length === 0 ? "" : `${what}: ${said.join(", ")}`;
}
