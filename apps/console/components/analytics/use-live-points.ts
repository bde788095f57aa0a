"use client";

import type { TimeseriesPoint } from "@gatehouse/shared";
import { useQuery } from "@tanstack/react-query";
import { useEffect, useMemo, useState } from "react";
import { endpoints, queryKeys, type TrafficFilter } from "@/lib/endpoints.ts";
import { LIVE_SPAN_MS } from "./traffic-window.ts";

export type LiveState = "connecting" | "live" | "paused";

/** EventSource gives up for good on an answer that is not a stream (a proxy's 502); try again after this. */
const REOPEN_MS = 3000;

/**
 * The last five minutes, second by second: the history from the Admin API, then one point a
 * second from its stream. A point from the stream replaces the history's point of that second,
 * which may have been read while the second was still running.
 */
export function useLivePoints(filter: TrafficFilter) {
  const history = useQuery({
    queryKey: queryKeys.timeseries(filter, "live"),
    queryFn: async () =>
      (await endpoints.analytics.timeseries({ ...filter, from: Date.now() - LIVE_SPAN_MS, step: "1s" })).data,
    // The stream keeps it current; it is read again only after the stream was paused.
    staleTime: Number.POSITIVE_INFINITY,
    gcTime: 0,
  });
  const [arrived, setArrived] = useState<TimeseriesPoint[]>([]);
  const [state, setState] = useState<LiveState>("connecting");
  const url = endpoints.analytics.streamUrl(filter);
  const { refetch } = history;

  useEffect(() => {
    let source: EventSource | undefined;
    let reopen: ReturnType<typeof setTimeout> | undefined;
    let missed = false;
    const pause = () => {
      missed = true;
      setState("paused");
      if (source?.readyState === EventSource.CLOSED) reopen = setTimeout(open, REOPEN_MS);
    };
    function open() {
      source = new EventSource(url);
      source.onopen = () => {
        setState("live");
        // Seconds that passed while paused were never streamed: fill the gap from the history.
        if (missed) void refetch();
        missed = false;
      };
      source.onmessage = (event: MessageEvent<string>) => {
        const point = JSON.parse(event.data) as TimeseriesPoint;
        setArrived((previous) => [...previous.filter((p) => p.t > point.t - LIVE_SPAN_MS), point]);
      };
      source.onerror = pause;
      // The console's relay says so before it closes the stream (the gateway is restarting).
      source.addEventListener("unavailable", pause);
    }
    open();
    return () => {
      clearTimeout(reopen);
      source?.close();
    };
  }, [url, refetch]);

  const points = useMemo(() => merge(history.data?.points ?? [], arrived), [history.data, arrived]);
  return { history, points, state };
}

function merge(history: TimeseriesPoint[], arrived: TimeseriesPoint[]): TimeseriesPoint[] {
  const byTime = new Map(history.map((point) => [point.t, point]));
  for (const point of arrived) byTime.set(point.t, point);
  const sorted = [...byTime.values()].sort((a, b) => a.t - b.t);
  const newest = sorted.at(-1)?.t ?? 0;
  return sorted.filter((point) => point.t > newest - LIVE_SPAN_MS);
}
