import { CODE_TABLES, CODE_COLUMNS as c, DEFAULT_TRAFFIC_RETENTION } from "@gatehouse/db";
import { ANALYTICS_STEPS, type AnalyticsStep, type Codes, codesQuerySchema } from "@gatehouse/shared";
import type Database from "better-sqlite3";
import { parseInput } from "../context.ts";
import type { AnalyticsReader } from "./analytics-reader.ts";
import { resolveRange, type TimeRange } from "./range.ts";

/** A chart of stacked bars by code stays readable up to about this many bars. */
const MAX_POINTS = 200;
/** The code tables are per minute and per hour; the minute one is kept as long as traffic_1m. */
const STEPS: AnalyticsStep[] = ["1m", "5m", "15m", "1h", "1d"];
const MINUTES_KEPT = DEFAULT_TRAFFIC_RETENTION.minutes;
const [MINUTES, HOURS] = CODE_TABLES;

interface CodeRow {
  bucket: number;
  status: number;
  refusal: string;
  requests: number;
}

/**
 * Requests split by status code and by refusal code (what the gateway answered itself, such as
 * `rate_limited`), from the per-minute and per-hour code tables the gateway's writer keeps
 * beside the traffic rollups. The step is the smallest that gives at most 200 buckets and
 * whose table still holds the range's start.
 */
export function codes(reader: AnalyticsReader, input: unknown, now = Date.now()): Codes {
  const query = parseInput(codesQuerySchema, input);
  const asked = resolveRange(query, now);
  const age = Math.floor(now / 1000) - asked.from;
  const step =
    STEPS.find((candidate) => {
      const width = ANALYTICS_STEPS[candidate];
      return Math.ceil((asked.to - asked.from) / width) <= MAX_POINTS && (width >= 3600 || age <= MINUTES_KEPT);
    }) ?? "1d";
  const width = ANALYTICS_STEPS[step];
  const range = { from: asked.from - (asked.from % width), to: Math.ceil(asked.to / width) * width };
  const rows = reader.read((sqlite) => sumCodes(sqlite, width, range, query.apiId), []);
  const totals = new Map<string, { status: number; refusal: string | null; requests: number }>();
  for (const row of rows) {
    const key = `${row.status} ${row.refusal}`;
    const total = totals.get(key);
    if (total) total.requests += row.requests;
    else totals.set(key, { status: row.status, refusal: row.refusal || null, requests: row.requests });
  }
  const ranked = [...totals].sort((a, b) => b[1].requests - a[1].requests || a[1].status - b[1].status);
  const column = new Map(ranked.map(([key], i) => [key, i]));
  const points = new Map<number, number[]>();
  for (let t = range.from; t < range.to; t += width) points.set(t, new Array(ranked.length).fill(0));
  for (const row of rows) {
    const counts = points.get(row.bucket);
    const i = column.get(`${row.status} ${row.refusal}`) as number;
    if (counts) counts[i] = (counts[i] as number) + row.requests;
  }
  return {
    from: range.from * 1000,
    to: range.to * 1000,
    step,
    codes: ranked.map(([, total]) => total),
    points: [...points].map(([t, requests]) => ({ t: t * 1000, requests })),
  };
}

function sumCodes(sqlite: Database.Database, width: number, range: TimeRange, apiId: string | undefined): CodeRow[] {
  const table = width % HOURS.width === 0 ? HOURS.name : MINUTES.name;
  const params: (string | number)[] = [range.from, range.to];
  if (apiId !== undefined) params.push(apiId);
  return sqlite
    .prepare(
      `SELECT (${c.t} / ${width}) * ${width} AS bucket, ${c.status} AS status, ${c.refusal} AS refusal,
         sum(${c.requests}) AS requests FROM ${table}
       WHERE ${c.t} >= ? AND ${c.t} < ?${apiId === undefined ? "" : ` AND ${c.apiId} = ?`} GROUP BY 1, 2, 3`,
    )
    .all(...params) as CodeRow[];
}
