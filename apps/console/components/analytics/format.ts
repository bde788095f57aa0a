/** Numbers as the analytics pages show them: 1.2k, 3.4 ms, 12%, 1.1 MB. */

const UNITS = [
  { size: 1e9, suffix: "B" },
  { size: 1e6, suffix: "M" },
  { size: 1e3, suffix: "k" },
];

const trim = (value: number, digits: number) => String(Number(value.toFixed(digits)));

/** 950, 1.2k, 3.4M: one decimal only while it says something. */
export function formatCount(value: number): string {
  const unit = UNITS.find((candidate) => Math.abs(value) >= candidate.size);
  if (!unit) return trim(value, Number.isInteger(value) ? 0 : 1);
  const scaled = value / unit.size;
  return `${trim(scaled, Math.abs(scaled) < 100 ? 1 : 0)}${unit.suffix}`;
}

/** Requests per second: small rates keep two significant digits, so ten requests an hour read 0.0028, not 0. */
export function formatRate(perSecond: number): string {
  if (perSecond >= 10) return formatCount(perSecond);
  if (perSecond < 0.0001) return perSecond === 0 ? "0" : "<0.0001";
  return String(Number(perSecond.toPrecision(2)));
}

export function formatMs(ms: number | null): string {
  if (ms === null) return "—";
  if (ms >= 1000) return `${trim(ms / 1000, 2)} s`;
  if (ms >= 100) return `${Math.round(ms)} ms`;
  if (ms >= 1) return `${trim(ms, 1)} ms`;
  return `${trim(ms, 2)} ms`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  const units = ["kB", "MB", "GB", "TB"];
  let value = bytes;
  let index = -1;
  while (value >= 1000 && index < units.length - 1) {
    value /= 1000;
    index++;
  }
  return `${trim(value, value < 100 ? 1 : 0)} ${units[index]}`;
}

/** A share of requests; a tiny non-zero share does not read as 0%. */
export function formatPercent(part: number, whole: number): string {
  if (whole === 0 || part === 0) return "0%";
  const percent = (part / whole) * 100;
  if (percent < 0.1) return "<0.1%";
  return `${trim(percent, percent < 10 ? 1 : 0)}%`;
}
