"use client";

import { useMemo, useState } from "react";
import { useClientConfig } from "@/lib/public-config-context.tsx";
import { useDebounced } from "@/lib/use-debounced.ts";
import { useApiList } from "../apis/use-apis.ts";
import { useConsumerList } from "../consumers/use-consumers.ts";
import { Banner } from "../ui/banner.tsx";
import { EmptyState, ErrorState, LoadingState } from "../ui/states.tsx";
import { NO_FILTERS, RequestFilters, toQuery } from "./request-filters.tsx";
import { RequestLogTable } from "./request-log-table.tsx";
import { useRequestLog } from "./use-request-log.ts";

/** A live tail of the gateway's in-memory request log, filtered there. */
export function RequestLog() {
  const [values, setValues] = useState(NO_FILTERS);
  const [paused, setPaused] = useState(false);
  // Problems show as the user types; the log is asked again only once typing pauses.
  const { errors } = toQuery(values);
  const { query } = toQuery(useDebounced(values));
  const log = useRequestLog(query, paused);
  const apis = useApiList({ limit: 200 });
  const consumers = useConsumerList({ limit: 200 });
  const apiNames = useMemo(() => namesById(apis.data?.data), [apis.data]);
  const consumerNames = useMemo(() => namesById(consumers.data?.data), [consumers.data]);
  const filtered = Object.values(query).some((value) => value !== undefined);
  const sampleRate = log.data?.sampleRate ?? 1;

  return (
    <>
      <RequestFilters values={values} errors={errors} onChange={setValues} />
      <div className="toolbar">
        <button type="button" className="button button-small" onClick={() => setPaused(!paused)}>
          {paused ? "Resume" : "Pause"}
        </button>
        <span className={`live-status ${paused ? "saving" : "live"}`} role="status">
          {paused ? null : <span className="dot dot-live" aria-hidden="true" />}
          {paused ? "Paused" : "Following: updated every second"}
        </span>
      </div>
      {sampleRate < 1 ? (
        <Banner tone="info" title="Sampled.">
          The gateway is busy and keeps about {Math.round(sampleRate * 100)}% of requests in this log (1 in{" "}
          {Math.round(1 / sampleRate)}); the charts on the Overview still count every request.
        </Banner>
      ) : null}
      <div className="section">
        {log.isPending ? (
          <LoadingState label="Reading the gateway’s log…" />
        ) : !log.data ? (
          <ErrorState title="Could not read the request log" error={log.error} onRetry={() => void log.refetch()} />
        ) : log.data.entries.length === 0 ? (
          <NoRequests filtered={filtered} />
        ) : (
          <RequestLogTable entries={log.data.entries} apiNames={apiNames} consumerNames={consumerNames} />
        )}
      </div>
    </>
  );
}

/** Names for the ids in the log; past the first page the table shows ids, which still link to the right page. */
const namesById = (items: { id: string; name: string }[] | undefined) =>
  new Map((items ?? []).map((item) => [item.id, item.name]));

function NoRequests({ filtered }: { filtered: boolean }) {
  const { gatewayUrl } = useClientConfig();
  return (
    <EmptyState title={filtered ? "No requests match these filters" : "No requests yet"} icon="≡">
      The log lives in the gateway’s memory and shows the last 1,000 requests it answered (fewer under load); it starts
      empty when the gateway restarts. Send a request through <code>{gatewayUrl}</code> and it shows here within a
      second.
    </EmptyState>
  );
}
