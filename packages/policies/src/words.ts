/** Small helpers the policies' summaries share, so each reads as a sentence fragment. */

/** `a`, `a and b`, `a, b and c` (or `a, b or c`). */
export function listInWords(items: readonly string[], conjunction = "and"): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} ${conjunction} ${items.at(-1)}`;
}

/** At most `max` items, then "and N more". */
export function someOf(items: readonly string[], max = 3): string {
  if (items.length <= max) return listInWords(items);
  return `${items.slice(0, max).join(", ")} and ${items.length - max} more`;
}

export const count = (n: number) => n.toLocaleString("en-US");

/** Where a counting policy counts: "in memory", "in Redis" or "in Redis, refusing while Redis is down". */
export function storeInWords(config: { store: "memory" | "redis"; failOpen: boolean }): string {
  if (config.store === "memory") return "in memory";
  return config.failOpen ? "in Redis" : "in Redis, refusing while Redis is down";
}
