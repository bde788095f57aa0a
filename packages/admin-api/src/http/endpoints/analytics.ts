import {
  codesQuerySchema,
  codesSchema,
  poolsQuerySchema,
  poolsSchema,
  requestLogQuerySchema,
  requestLogSchema,
  streamQuerySchema,
  timeseriesQuerySchema,
  timeseriesSchema,
  topQuerySchema,
  topSchema,
  usageQuerySchema,
  usageSchema,
} from "@gatehouse/shared";
import type { NodeRequestLogs } from "../../node-sync/node-request-logs.ts";
import type { AnalyticsReader } from "../../services/analytics/analytics-reader.ts";
import { codes } from "../../services/analytics/codes.ts";
import { type GatewayStatusAccess, liveStream } from "../../services/analytics/gateway-relay.ts";
import { pools } from "../../services/analytics/pools.ts";
import { requestLog } from "../../services/analytics/request-log.ts";
import { timeseries } from "../../services/analytics/timeseries.ts";
import { top } from "../../services/analytics/top.ts";
import { usage, usageCsv } from "../../services/analytics/usage.ts";
import type { Operation } from "../operations.ts";

export const analyticsOperations = (
  reader: AnalyticsReader,
  gateway: GatewayStatusAccess,
  nodeLogs: NodeRequestLogs,
): Operation[] => [
  {
    method: "get",
    path: "/analytics/timeseries",
    tag: "Analytics",
    summary: "Requests, errors and p50/p95/p99 latency per time bucket",
    query: timeseriesQuerySchema,
    response: timeseriesSchema,
    handler: ({ query }) => timeseries(reader, query),
  },
  {
    method: "get",
    path: "/analytics/top",
    tag: "Analytics",
    summary: "The APIs or consumers with the most requests in a range",
    query: topQuerySchema,
    response: topSchema,
    handler: ({ ctx, query }) => top(ctx.db, reader, query),
  },
  {
    method: "get",
    path: "/analytics/usage",
    errors: { 404: "consumerId names no consumer" },
    otherContent: { "text/csv": "With format=csv: one row per UTC day and API" },
    tag: "Analytics",
    summary: "A consumer's requests by API and by UTC day (format=csv for a spreadsheet)",
    query: usageQuerySchema,
    response: usageSchema,
    handler: ({ c, ctx, query }) => {
      const { format, ...result } = usage(ctx.db, reader, query);
      if (format === "json") return result;
      const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
      return c.body(usageCsv(result), 200, {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="usage-${result.consumerId}-${day(result.from)}-${day(result.to)}.csv"`,
      });
    },
  },
  {
    method: "get",
    path: "/analytics/requests",
    errors: { 503: "The gateway cannot be reached and no data-plane node has sent requests" },
    tag: "Analytics",
    summary:
      "The last requests of the gateway and of every data-plane node, newest first: every refused one, the others sampled under load",
    query: requestLogQuerySchema,
    response: requestLogSchema,
    handler: ({ ctx, query }) => requestLog(ctx.db, gateway, nodeLogs, query),
  },
  {
    method: "get",
    path: "/analytics/codes",
    tag: "Analytics",
    summary: "Requests by status code and by the gateway's refusal code, in all and per time bucket",
    query: codesQuerySchema,
    response: codesSchema,
    handler: ({ query }) => codes(reader, query),
  },
  {
    method: "get",
    path: "/analytics/pools",
    tag: "Analytics",
    summary:
      "An API's requests, 5xx rate and p50/p95 latency per upstream pool (a canary beside the main pool) per time bucket, and its cache hit ratio",
    query: poolsQuerySchema,
    response: poolsSchema,
    handler: ({ query }) => pools(reader, query),
  },
  {
    method: "get",
    path: "/analytics/stream",
    errors: { 503: "No gateway is configured" },
    otherContent: {
      "text/event-stream":
        "One TimeseriesPoint as JSON per second (data:), event: unavailable when the gateway goes away",
    },
    tag: "Analytics",
    summary: "Server-Sent Events: one point per second (requests, errors, p50/p95/p99) for the filter",
    query: streamQuerySchema,
    handler: ({ c, query }) => liveStream(gateway, query, c.req.raw.signal),
  },
];
