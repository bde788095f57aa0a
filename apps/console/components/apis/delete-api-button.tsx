"use client";

import { useRouter } from "next/navigation";
import { DeleteButton } from "../ui/confirm-delete.tsx";
import { useDeleteApi } from "./use-apis.ts";

export function DeleteApiButton({ id, name }: { id: string; name: string }) {
  const router = useRouter();
  return (
    <DeleteButton
      label="Delete API"
      title={`Delete ${name}?`}
      remove={useDeleteApi(id)}
      variables={undefined}
      onDeleted={() => router.replace("/apis")}
    >
      The gateway stops serving its routes at once. Its upstream pool is kept.
    </DeleteButton>
  );
}
