import { z } from "zod";

/**
 * zod's own messages ("Invalid input: expected number, received string") in the words a user
 * reads beside a form field. Installed once by the package entry, so the Admin API and the
 * console say the same thing; a message a schema gives itself still wins.
 */

type RawIssue = z.core.$ZodRawIssue;
type SchemaDef = { format?: string; checks?: Array<{ _zod?: { def?: { format?: string } } }> };

const INTEGER_FORMATS = new Set(["safeint", "int32", "uint32", "int64", "uint64"]);

/** z.int() and z.number().int() both report a string as `expected: "number"`; the schema says which. */
function wantsInteger(issue: RawIssue): boolean {
  const def = (issue.schema as { _zod?: { def?: SchemaDef } } | undefined)?._zod?.def;
  if (def === undefined) return false;
  if (def.format !== undefined && INTEGER_FORMATS.has(def.format)) return true;
  return (def.checks ?? []).some((check) => INTEGER_FORMATS.has(check._zod?.def?.format ?? ""));
}

const TYPE_NOUNS: Record<string, string> = {
  string: "text",
  number: "a number",
  int: "a whole number",
  bigint: "a whole number",
  boolean: "true/false",
  array: "a list",
  tuple: "a list",
  set: "a list",
  object: "an object",
  record: "an object",
  map: "an object",
  date: "a date",
  null: "null",
};

function typeNoun(issue: RawIssue & { expected: string }): string | undefined {
  if (issue.expected === "number" && wantsInteger(issue)) return TYPE_NOUNS.int;
  return TYPE_NOUNS[issue.expected];
}

function invalidType(issue: RawIssue & { expected: string }): string {
  if (issue.input === undefined || issue.expected === "nonoptional") return "Required";
  if (issue.expected === "never") return "Not allowed here";
  if (issue.expected === "boolean") return "Enter true or false";
  if (typeof issue.input === "number" && !Number.isNaN(issue.input) && !Number.isFinite(issue.input)) {
    return "Enter a finite number";
  }
  const noun = typeNoun(issue);
  return noun ? `Enter ${noun}` : "Not a valid value";
}

const shown = (value: unknown) => (typeof value === "string" ? value : String(value));

const UNITS: Record<string, string> = {
  string: "characters",
  array: "items",
  set: "items",
  map: "entries",
  file: "bytes",
};

function tooBig(issue: Extract<RawIssue, { code: "too_big" }>): string {
  const unit = UNITS[issue.origin];
  const max = issue.origin === "date" ? new Date(Number(issue.maximum)).toISOString() : String(issue.maximum);
  if (issue.origin === "date") return issue.inclusive ? `Must be ${max} or earlier` : `Must be before ${max}`;
  if (unit === undefined) return issue.inclusive ? `Must be at most ${max}` : `Must be less than ${max}`;
  if (issue.exact) return `Must be exactly ${max} ${unit}`;
  return issue.inclusive ? `Must be at most ${max} ${unit}` : `Must be fewer than ${max} ${unit}`;
}

function tooSmall(issue: Extract<RawIssue, { code: "too_small" }>): string {
  const unit = UNITS[issue.origin];
  const min = issue.origin === "date" ? new Date(Number(issue.minimum)).toISOString() : String(issue.minimum);
  if (issue.origin === "date") return issue.inclusive ? `Must be ${min} or later` : `Must be after ${min}`;
  if (unit === undefined) return issue.inclusive ? `Must be at least ${min}` : `Must be more than ${min}`;
  if (issue.exact) return `Must be exactly ${min} ${unit}`;
  // The usual minimum: a field that must not be left empty.
  if (issue.inclusive && Number(issue.minimum) === 1)
    return issue.origin === "string" ? "Required" : "Add at least one";
  return issue.inclusive ? `Must be at least ${min} ${unit}` : `Must be more than ${min} ${unit}`;
}

const FORMATS: Record<string, string> = {
  url: "Enter a valid URL, e.g. https://example.com",
  email: "Enter a valid email address",
  datetime: "Enter a date and time, e.g. 2027-01-31T00:00:00Z",
  date: "Enter a date, e.g. 2027-01-31",
  time: "Enter a time, e.g. 13:45:00",
  duration: "Enter an ISO 8601 duration, e.g. PT5M",
  ipv4: "Enter an IPv4 address",
  ipv6: "Enter an IPv6 address",
  cidrv4: "Enter an IPv4 range, e.g. 10.0.0.0/8",
  cidrv6: "Enter an IPv6 range, e.g. fd00::/8",
  lowercase: "Use lowercase letters only",
  uppercase: "Use uppercase letters only",
  regex: "Not in the accepted format",
};

function invalidFormat(issue: Extract<RawIssue, { code: "invalid_format" }>): string {
  const detail = issue as { prefix?: string; suffix?: string; includes?: string };
  if (issue.format === "starts_with") return `Must start with "${detail.prefix}"`;
  if (issue.format === "ends_with") return `Must end with "${detail.suffix}"`;
  if (issue.format === "includes") return `Must contain "${detail.includes}"`;
  return FORMATS[issue.format] ?? `Enter a valid ${issue.format.replace(/_/g, " ")}`;
}

function listOf(words: string[]): string {
  return words.length <= 1 ? (words[0] ?? "") : `${words.slice(0, -1).join(", ")} or ${words.at(-1)}`;
}

function invalidUnion(issue: Extract<RawIssue, { code: "invalid_union" }>): string {
  const detail = issue as { options?: unknown[]; inclusive?: boolean };
  if (detail.options && detail.options.length > 0) return `Choose one of: ${detail.options.map(shown).join(", ")}`;
  if (detail.inclusive === false) return "Matches more than one of the accepted forms";
  // Each branch refused the value's type alone: say which types are accepted.
  const nouns = issue.errors.map((branch) => {
    const [only] = branch;
    return branch.length === 1 && only?.code === "invalid_type" && only.path.length === 0
      ? TYPE_NOUNS[only.expected]
      : undefined;
  });
  if (nouns.length > 0 && nouns.every((noun) => noun !== undefined)) return `Enter ${listOf([...new Set(nouns)])}`;
  return "Does not match any of the accepted forms";
}

/** The first message of the nested issues a key or element failed with (already in these words). */
function nested(issue: { issues?: Array<{ message?: string }> }, fallback: string): string {
  return issue.issues?.find((inner) => inner.message)?.message ?? fallback;
}

/** Returns undefined to leave an issue to zod's own message (unknown keys are worded by fieldErrors). */
export function userMessage(issue: RawIssue): string | undefined {
  switch (issue.code) {
    case "invalid_type":
      return invalidType(issue);
    case "invalid_value":
      return issue.values.length === 1
        ? `Must be ${shown(issue.values[0])}`
        : `Choose one of: ${issue.values.map(shown).join(", ")}`;
    case "too_big":
      return tooBig(issue);
    case "too_small":
      return tooSmall(issue);
    case "invalid_format":
      return invalidFormat(issue);
    case "not_multiple_of":
      return `Must be a multiple of ${String(issue.divisor)}`;
    case "invalid_union":
      return invalidUnion(issue);
    case "invalid_key":
      return nested(issue, "Not an accepted key");
    case "invalid_element":
      return nested(issue, "Contains a value that is not accepted");
    case "unrecognized_keys":
      return undefined;
    default:
      return "Not a valid value";
  }
}

/** Makes every parse, in the browser and on the server, speak in these words. */
export function installUserMessages(): void {
  z.config({ customError: userMessage });
}
