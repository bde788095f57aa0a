import { type ConfigDb, TRAFFIC_COLUMNS } from "@gatehouse/db";
import { type Top, topQuerySchema } from "@gatehouse/shared";
import { parseInput } from "../context.ts";
import type { AnalyticsReader } from "./analytics-reader.ts";
import { apiNames, consumerNames } from "./names.ts";
import { resolveRange, tableForRange } from "./range.ts";
import { sumByKey, sumTraffic } from "./traffic-query.ts";

/** The APIs or consumers with the most requests in a range. */
export function top(db: ConfigDb, reader: AnalyticsReader, input: unknown, now = Date.now()): Top {
  const query = parseInput(topQuerySchema, input);
  const range = resolveRange(query, now);
  const column = query.by === "api" ? TRAFFIC_COLUMNS.apiId : TRAFFIC_COLUMNS.consumerId;
  const rows = reader.read((sqlite) => sumTraffic(sqlite, tableForRange(range, now), range, query, column, now), []);
  const ranked = [...sumByKey(rows)]
    .sort((a, b) => b[1].requests - a[1].requests)
    .slice(0, query.limit)
    .map(([id, sum]) => ({ id: String(id), sum }));
  const ids = ranked.map((item) => item.id);
  const names = query.by === "api" ? apiNames(db, ids) : consumerNames(db, ids);
  return {
    from: range.from * 1000,
    to: range.to * 1000,
    items: ranked.map(({ id, sum }) => {
      const { requests, errors4xx, errors5xx, p95 } = sum.totals();
      return { id, name: names.get(id) ?? id, requests, errors4xx, errors5xx, p95 };
    }),
  };
}
