import type { ConfigObjectKind } from "@gatehouse/shared";

/**
 * The console page an object of the config is edited on. A plan is edited in the plans list; a
 * policy has no page of its own (it shows on whatever it is attached to), so it has no link.
 */
export function objectHref(kind: ConfigObjectKind, id: string): string | null {
  const encoded = encodeURIComponent(id);
  switch (kind) {
    case "api":
      return `/apis/${encoded}`;
    case "upstream":
      return `/upstreams/${encoded}`;
    case "consumer":
      return `/consumers/${encoded}`;
    case "plan":
      return "/plans";
    case "policy":
      return null;
  }
}

/** A kind as the console names it; a policy of its own in a file is a global one (others belong to what they sit on). */
export const KIND_LABELS: Record<ConfigObjectKind, string> = {
  api: "API",
  upstream: "Upstream",
  consumer: "Consumer",
  plan: "Plan",
  policy: "Global policy",
};

/** The History page narrowed to one object's revisions. */
export const historyHref = (objectId: string, kind?: ConfigObjectKind) =>
  `/history?${new URLSearchParams(kind ? { kind, objectId } : { objectId })}`;
