"use client";

import type { ReactNode } from "react";
import { ConfirmDialog } from "./confirm-dialog.tsx";
import { useDialog } from "./use-dialog.ts";

/** The part of a TanStack mutation the flow drives. */
interface Removal<V> {
  isPending: boolean;
  error: Error | null;
  reset: () => void;
  mutate: (variables: V, options: { onSuccess: () => void }) => void;
}

interface ConfirmDeleteOptions<T, V> {
  remove: Removal<V>;
  /** The mutation's variables for the thing being deleted. */
  variables: (subject: T) => V;
  onDeleted?: (subject: T) => void;
  /** The refusal in the user's words, when a status means more than the server's message. */
  explain?: (error: Error) => string;
}

/**
 * Delete-with-confirm, the one way the console deletes: ask (which clears an earlier failure),
 * confirm in a modal that says what follows, and show a refusal inside that modal.
 */
export function useConfirmDelete<T, V>({ remove, variables, onDeleted, explain }: ConfirmDeleteOptions<T, V>) {
  const dialog = useDialog<T>();
  const subject = dialog.subject;
  return {
    subject,
    ask(next: T) {
      remove.reset();
      dialog.open(next);
    },
    dialogProps: {
      open: dialog.isOpen,
      pending: remove.isPending,
      error: remove.error ? (explain?.(remove.error) ?? remove.error.message) : undefined,
      onCancel: dialog.close,
      onConfirm: () => {
        if (subject === null) return;
        remove.mutate(variables(subject), {
          onSuccess: () => {
            dialog.close();
            onDeleted?.(subject);
          },
        });
      },
    },
  };
}

interface DeleteButtonProps<V> extends Omit<ConfirmDeleteOptions<true, V>, "variables"> {
  /** The button's and the confirmation's label, e.g. "Delete API". */
  label: string;
  title: string;
  variables: V;
  /** What deleting it does, said in the confirmation. */
  children: ReactNode;
}

/** A danger-zone button that deletes one thing after a confirmation. */
export function DeleteButton<V>({ label, title, variables, children, ...options }: DeleteButtonProps<V>) {
  const flow = useConfirmDelete<true, V>({ ...options, variables: () => variables });
  return (
    <>
      <button type="button" className="button button-danger" onClick={() => flow.ask(true)}>
        {label}
      </button>
      <ConfirmDialog title={title} confirmLabel={label} {...flow.dialogProps}>
        {children}
      </ConfirmDialog>
    </>
  );
}
