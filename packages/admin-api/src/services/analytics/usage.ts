import { type ConfigDb, TRAFFIC_COLUMNS as c, TRAFFIC_TABLES } from "@gatehouse/db";
import { type Usage, type UsageRow, usageQuerySchema } from "@gatehouse/shared";
import { getConsumer } from "../consumers/consumer-verbs.ts";
import { parseInput } from "../context.ts";
import type { AnalyticsReader } from "./analytics-reader.ts";
import { apiNames } from "./names.ts";
import { resolveRange } from "./range.ts";
import { sumTraffic, type TrafficRow, TrafficSum } from "./traffic-query.ts";

const DEFAULT_DAYS = 30;
const hours = TRAFFIC_TABLES[2];
const BY_API_AND_DAY = `${c.apiId} || '|' || ((${c.t} / 86400) * 86400)`;

/**
 * A consumer's requests by API and by UTC day, for billing: read from the hour table, so the
 * range is taken in whole hours (the hour a bound falls in counts whole).
 */
export function usage(
  db: ConfigDb,
  reader: AnalyticsReader,
  input: unknown,
  now = Date.now(),
): Usage & { format: string } {
  const query = parseInput(usageQuerySchema, input);
  getConsumer(db, query.consumerId);
  const asked = resolveRange({ from: query.from ?? (query.to ?? now) - DEFAULT_DAYS * 86_400_000, to: query.to }, now);
  const range = { from: asked.from - (asked.from % hours.width), to: Math.ceil(asked.to / hours.width) * hours.width };
  const rows = reader.read(
    (sqlite) => sumTraffic(sqlite, hours, range, { consumerId: query.consumerId }, BY_API_AND_DAY, now),
    [],
  );
  const byApi = new Map<string, TrafficSum>();
  const byDay = new Map<string, TrafficSum>();
  for (const row of rows) {
    const [apiId = "", day = "0"] = String(row.key).split("|");
    sumInto(byApi, apiId, row);
    sumInto(byDay, `${day}|${apiId}`, row);
  }
  const names = apiNames(db, [...byApi.keys()]);
  const usageRow = (apiId: string, sum: TrafficSum): UsageRow => ({
    apiId,
    apiName: names.get(apiId) ?? apiId,
    requests: sum.requests,
    errors4xx: sum.errors4xx,
    errors5xx: sum.errors5xx,
    bytesIn: sum.bytesIn,
    bytesOut: sum.bytesOut,
  });
  return {
    format: query.format,
    consumerId: query.consumerId,
    from: range.from * 1000,
    to: range.to * 1000,
    byApi: [...byApi].map(([apiId, sum]) => usageRow(apiId, sum)).sort((a, b) => b.requests - a.requests),
    byDay: [...byDay]
      .map(([key, sum]) => {
        const [day = "0", apiId = ""] = key.split("|");
        return { day: new Date(Number(day) * 1000).toISOString().slice(0, 10), ...usageRow(apiId, sum) };
      })
      .sort((a, b) => a.day.localeCompare(b.day) || a.apiName.localeCompare(b.apiName)),
  };
}

function sumInto(map: Map<string, TrafficSum>, key: string, row: TrafficRow): void {
  let sum = map.get(key);
  if (sum === undefined) {
    sum = new TrafficSum();
    map.set(key, sum);
  }
  sum.add(row);
}

const CSV_COLUMNS = ["day", "api_id", "api_name", "requests", "errors_4xx", "errors_5xx", "bytes_in", "bytes_out"];

/** RFC 4180: quote a field with a comma, quote or line break; a leading = + - @ is defused for spreadsheets. */
function csvField(value: string | number): string {
  let text = String(value);
  if (typeof value === "string" && /^[=+\-@]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The by-day rows as CSV, one line per day and API. */
export function usageCsv(result: Usage): string {
  const lines = [CSV_COLUMNS.join(",")];
  for (const row of result.byDay) {
    lines.push(
      [row.day ?? "", row.apiId, row.apiName, row.requests, row.errors4xx, row.errors5xx, row.bytesIn, row.bytesOut]
        .map(csvField)
        .join(","),
    );
  }
  return `${lines.join("\r\n")}\r\n`;
}
