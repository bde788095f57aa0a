import type { PolicyMetric } from "../types.ts";

/** Counted per entry, by why: `buffer_full` (the sink fell behind), `failed` (its batch ran out of retries). */
export const LOG_ENTRIES_DROPPED: PolicyMetric = {
  name: "gatehouse_log_entries_dropped_total",
  help: "Log entries a log policy (http-log, file-log) dropped: buffer_full (the sink fell behind) or failed (retries exhausted, or the write failed).",
};
