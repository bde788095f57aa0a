"use client";

import type { ReactNode } from "react";
import { useClientConfig } from "@/lib/public-config-context.tsx";
import { EmptyState, ErrorState, LoadingState } from "../ui/states.tsx";

interface ChartFrameProps {
  /** What the chart shows, for screen readers: the chart itself is drawn for the eye only. */
  label: string;
  pending: boolean;
  error: unknown;
  onRetry: () => void;
  empty: boolean;
  emptyTitle?: string;
  children: ReactNode;
}

/** A chart, or its loading, error or no-traffic state in the same place. */
export function ChartFrame({ label, pending, error, onRetry, empty, emptyTitle, children }: ChartFrameProps) {
  if (pending) return <LoadingState label="Loading traffic…" />;
  if (error) return <ErrorState title="Could not load traffic" error={error} onRetry={onRetry} />;
  if (empty) return <NoTraffic title={emptyTitle} />;
  return (
    <div className="chart" role="img" aria-label={label}>
      {children}
    </div>
  );
}

export function NoTraffic({ title = "No traffic in this range" }: { title?: string | undefined }) {
  const { gatewayUrl } = useClientConfig();
  return (
    <EmptyState title={title} icon="∿">
      Send a request through the gateway at <code>{gatewayUrl}</code>; it is counted here within a few seconds.
    </EmptyState>
  );
}
