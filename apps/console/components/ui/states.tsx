import type { ReactNode } from "react";
import { ApiError } from "@/lib/api-client.ts";

export function LoadingState({ label = "Loading…" }: { label?: string }) {
  return (
    <div className="loading-state" role="status">
      <span className="spinner" aria-hidden="true" />
      {label}
    </div>
  );
}

interface ErrorStateProps {
  error: unknown;
  onRetry?: () => void;
  /** For a part of a page; the page itself by default. */
  title?: string;
}

export function ErrorState({ error, onRetry, title = "Could not load this page" }: ErrorStateProps) {
  const message = error instanceof Error ? error.message : "Something went wrong";
  const notFound = error instanceof ApiError && error.status === 404;
  return (
    <div className="empty-state" role="alert">
      <div className="empty-icon" aria-hidden="true">
        !
      </div>
      <h2>{notFound ? "Not found" : title}</h2>
      <p>{message}</p>
      {onRetry && !notFound ? (
        <button type="button" className="button" onClick={onRetry}>
          Try again
        </button>
      ) : null}
    </div>
  );
}

interface EmptyStateProps {
  icon?: ReactNode;
  title: string;
  children?: ReactNode;
  action?: ReactNode;
}

export function EmptyState({ icon = "∅", title, children, action }: EmptyStateProps) {
  return (
    <div className="empty-state">
      <div className="empty-icon" aria-hidden="true">
        {icon}
      </div>
      <h2>{title}</h2>
      {children ? <p>{children}</p> : null}
      {action}
    </div>
  );
}
