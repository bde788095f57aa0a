"use client";

import { CONFIG_OBJECT_KINDS, type ConfigObjectKind } from "@gatehouse/shared";
import { usePathname, useSearchParams } from "next/navigation";
import { SelectField } from "../ui/select-field.tsx";
import { TextField } from "../ui/text-field.tsx";
import { KIND_LABELS } from "./object-href.ts";
import type { RevisionFilter } from "./use-history.ts";

const isKind = (value: string | null): value is ConfigObjectKind =>
  (CONFIG_OBJECT_KINDS as readonly (string | null)[]).includes(value);

/** The filter the URL holds (`?kind=&objectId=`), so a link from an object's page opens its history. */
export function useHistoryFilter(): { kind: ConfigObjectKind | undefined; objectId: string } {
  const params = useSearchParams();
  const kind = params.get("kind");
  return { kind: isKind(kind) ? kind : undefined, objectId: params.get("objectId") ?? "" };
}

/** Narrows History to one kind of object, or to one object by its id. */
export function HistoryFilter({ kind, objectId }: { kind: ConfigObjectKind | undefined; objectId: string }) {
  const pathname = usePathname();

  // The native history call updates the URL (and useSearchParams) without asking the server
  // for the page again on every keystroke, as a router navigation would.
  const go = (next: RevisionFilter) => {
    const search = new URLSearchParams();
    if (next.kind) search.set("kind", next.kind);
    if (next.objectId) search.set("objectId", next.objectId);
    const text = search.toString();
    window.history.replaceState(null, "", text ? `${pathname}?${text}` : pathname);
  };

  return (
    <div className="grid-4 filters">
      <SelectField
        id="history-kind"
        label="Kind"
        value={kind ?? ""}
        onChange={(event) => go({ objectId, kind: isKind(event.target.value) ? event.target.value : undefined })}
        options={[
          { value: "", label: "All kinds" },
          ...CONFIG_OBJECT_KINDS.map((k) => ({ value: k, label: KIND_LABELS[k] })),
        ]}
      />
      <TextField
        id="history-object"
        label="Object id"
        placeholder="api_…"
        value={objectId}
        onChange={(event) => go({ kind, objectId: event.target.value })}
        mono
        autoComplete="off"
      />
    </div>
  );
}
