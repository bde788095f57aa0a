"use client";

import type { RequestLogRow } from "@gatehouse/shared";
import { useState } from "react";
import { ApiError } from "@/lib/api-client.ts";
import { useClientConfig } from "@/lib/public-config-context.tsx";
import { useDebounced } from "@/lib/use-debounced.ts";
import { Banner } from "../ui/banner.tsx";
import { EmptyState, ErrorState, LoadingState } from "../ui/states.tsx";
import { RequestDetail } from "./request-detail.tsx";
import { NO_FILTERS, RequestFilters, toQuery } from "./request-filters.tsx";
import { RequestLogTable } from "./request-log-table.tsx";
import { useRequestLog } from "./use-request-log.ts";

/** A live tail of the gateway's in-memory request log, filtered there. */
export function RequestLog() {
  const [values, setValues] = useState(NO_FILTERS);
  const [paused, setPaused] = useState(false);
  const [open, setOpen] = useState<RequestLogRow | null>(null);
  // Problems show as the user types; the log is asked again only once typing pauses.
  const { errors } = toQuery(values);
  const { query } = toQuery(useDebounced(values));
  const log = useRequestLog(query, paused);
  // The server alone knows whether a consumer has that name; it says so on the field.
  const consumerProblem =
    log.error instanceof ApiError ? log.error.fields.find((field) => field.path === "consumer")?.message : undefined;
  const filtered = Object.values(query).some((value) => value !== undefined);

  return (
    <>
      <RequestFilters values={values} errors={{ ...errors, consumer: consumerProblem }} onChange={setValues} />
      <div className="toolbar">
        <button type="button" className="button button-small" onClick={() => setPaused(!paused)}>
          {paused ? "Resume" : "Pause"}
        </button>
        <span className={`live-status ${paused ? "saving" : "live"}`} role="status">
          {paused ? null : <span className="dot dot-live" aria-hidden="true" />}
          {paused ? "Paused" : "Following: updated every second"}
        </span>
      </div>
      {log.data ? <SampleRate rate={log.data.sampleRate} /> : null}
      <div className="section">
        {log.isPending ? (
          <LoadingState label="Reading the gateway’s log…" />
        ) : !log.data || consumerProblem ? (
          <ErrorState title="Could not read the request log" error={log.error} onRetry={() => void log.refetch()} />
        ) : log.data.entries.length === 0 ? (
          <NoRequests filtered={filtered} />
        ) : (
          <RequestLogTable entries={log.data.entries} onOpen={setOpen} />
        )}
      </div>
      <RequestDetail entry={open} onClose={() => setOpen(null)} />
    </>
  );
}

/** How much of the traffic the rows shown stand for: always said, sampled or not. */
function SampleRate({ rate }: { rate: number }) {
  if (rate >= 1) {
    return (
      <p className="muted" role="status">
        Sampling: none. Every request in the time these rows cover is shown.
      </p>
    );
  }
  return (
    <Banner tone="info" title={`Sampled: 1 in ${Math.round(1 / rate)} answered requests.`}>
      The gateway was busy and kept about {Math.round(rate * 100)}% of the requests it answered in the time these rows
      cover; every request it refused (with a code such as <code>rate_limited</code>) is shown. The charts on the
      Overview count every request.
    </Banner>
  );
}

function NoRequests({ filtered }: { filtered: boolean }) {
  const { gatewayUrl } = useClientConfig();
  return (
    <EmptyState title={filtered ? "No requests match these filters" : "No requests yet"} icon="≡">
      The log lives in the gateway’s memory and shows the last 1,000 requests it answered (sampled under load) and the
      last 1,000 it refused; it starts empty when the gateway restarts. Send a request through <code>{gatewayUrl}</code>{" "}
      and it shows here within a second.
    </EmptyState>
  );
}
