/** Time axes in the viewer's time zone: ticks on round local times, labels as long as the span needs. */

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const INTERVALS = [
  5 * SECOND,
  10 * SECOND,
  15 * SECOND,
  30 * SECOND,
  MINUTE,
  2 * MINUTE,
  5 * MINUTE,
  10 * MINUTE,
  15 * MINUTE,
  30 * MINUTE,
  HOUR,
  2 * HOUR,
  3 * HOUR,
  6 * HOUR,
  12 * HOUR,
  DAY,
  2 * DAY,
  7 * DAY,
];

const SECONDS = new Intl.DateTimeFormat(undefined, { hour: "numeric", minute: "2-digit", second: "2-digit" });
const MINUTES = new Intl.DateTimeFormat(undefined, { hour: "numeric", minute: "2-digit" });
const DAYS = new Intl.DateTimeFormat(undefined, { month: "short", day: "numeric" });
const FULL = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "medium" });

const TICKS = 6;

const intervalFor = ([from, to]: [number, number]) =>
  INTERVALS.find((candidate) => (to - from) / candidate <= TICKS) ?? 7 * DAY;

/** Labels as precise as the ticks: seconds for ticks under a minute apart, the time of day under a day, else dates. */
export function tickFormatter(domain: [number, number]): (t: number) => string {
  const interval = intervalFor(domain);
  const format = interval < MINUTE ? SECONDS : interval < DAY ? MINUTES : DAYS;
  return (t) => format.format(t);
}

export const formatInstant = (t: number) => FULL.format(t);

/**
 * About six ticks at a round interval. Recharts would place number ticks at round
 * milliseconds (14:03:20.000 + 7 min); these fall on whole local minutes, hours and days.
 */
export function timeTicks(domain: [number, number]): number[] {
  const [from, to] = domain;
  const interval = intervalFor(domain);
  // Round in local time, so a half-hour zone gets ticks on its own hours and days start at midnight.
  const offset = -new Date(from).getTimezoneOffset() * MINUTE;
  const ticks: number[] = [];
  for (let t = Math.ceil((from + offset) / interval) * interval - offset; t <= to; t += interval) ticks.push(t);
  return ticks;
}
