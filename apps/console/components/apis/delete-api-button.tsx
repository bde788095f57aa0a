"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { ConfirmDialog } from "../ui/confirm-dialog.tsx";
import { useDeleteApi } from "./use-apis.ts";

export function DeleteApiButton({ id, name }: { id: string; name: string }) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const remove = useDeleteApi(id);
  return (
    <>
      <button
        type="button"
        className="button button-danger"
        onClick={() => {
          remove.reset();
          setOpen(true);
        }}
      >
        Delete API
      </button>
      <ConfirmDialog
        open={open}
        title={`Delete ${name}?`}
        confirmLabel="Delete API"
        pending={remove.isPending}
        error={remove.isError ? remove.error.message : undefined}
        onCancel={() => setOpen(false)}
        onConfirm={() => remove.mutate(undefined, { onSuccess: () => router.replace("/apis") })}
      >
        The gateway stops serving its routes at once. Its upstream pool is kept.
      </ConfirmDialog>
    </>
  );
}
