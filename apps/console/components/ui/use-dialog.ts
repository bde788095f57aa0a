"use client";

import { useState } from "react";

/** Which thing a dialog is open for (a key to rotate, a route to delete), or null while closed. */
export function useDialog<T>() {
  const [subject, setSubject] = useState<T | null>(null);
  return {
    subject,
    isOpen: subject !== null,
    open: (next: T) => setSubject(() => next),
    close: () => setSubject(null),
  };
}

export type DialogState<T> = ReturnType<typeof useDialog<T>>;
