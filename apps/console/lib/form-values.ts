/** Helpers turning raw input strings into the values the schemas expect. */

/** A number input's value: blank means "use the default". Non-numbers stay strings so the schema reports them. */
export function optionalInt(raw: string): number | string | undefined {
  const text = raw.trim();
  if (text === "") return undefined;
  const value = Number(text);
  return Number.isNaN(value) ? text : value;
}

export function splitList(raw: string): string[] {
  return raw
    .split(/[\s,]+/)
    .map((item) => item.trim())
    .filter(Boolean);
}

let counter = 0;
/** Stable keys for rows the user adds and removes. */
export function rowKey(): string {
  counter += 1;
  return `row-${counter}`;
}
