import { headerName, isHopByHop } from "@gatehouse/shared";
import { z } from "zod";
import { parseTemplate } from "./template.ts";

const MIB = 1024 * 1024;

/** Framing, and the headers the gateway sets itself: a rule on them would break the exchange or send them twice. */
const GATEWAY_HEADERS = new Set([
  "host",
  "content-length",
  "expect",
  "x-request-id",
  "x-forwarded-for",
  "x-forwarded-proto",
  "x-forwarded-host",
]);

/** Characters a header value may not hold (RFC 9110 §5.5 field-value, as Node and undici check it). */
const NOT_IN_HEADER_VALUE = /[^\t\x20-\x7e\x80-\xff]/;
const ALL_NOT_IN_HEADER_VALUE = new RegExp(NOT_IN_HEADER_VALUE.source, "g");

/** A rendered value fit for a header: a claim or a query parameter may hold a line break. */
export const headerSafe = (value: string) => value.replace(ALL_NOT_IN_HEADER_VALUE, "");

const ruleHeaderName = headerName({ trim: true }).refine(
  (name) => !isHopByHop(name) && !GATEWAY_HEADERS.has(name),
  "Hop-by-hop headers, Host, Content-Length, Expect, X-Request-Id and X-Forwarded-* are the gateway's",
);

/** A template: text with `$(…)` variables, checked once here so the handler only renders. */
const template = (captures: boolean) =>
  z
    .string()
    .max(2000)
    .superRefine((text, ctx) => {
      const parsed = parseTemplate(text, captures);
      if (typeof parsed === "string") ctx.addIssue({ code: "custom", message: parsed });
    });

const headerTemplate = (captures: boolean) =>
  template(captures).refine((text) => !NOT_IN_HEADER_VALUE.test(text), "Use printable characters: no line breaks");

const UNSAFE_FIELDS = new Set(["__proto__", "constructor", "prototype"]);

/** `user.address.city`: a field of nested JSON objects. */
const fieldPath = z
  .string()
  .trim()
  .regex(/^[^.]+(\.[^.]+)*$/, "Use field names joined by dots (user.address.city)")
  .refine((path) => !path.split(".").some((name) => UNSAFE_FIELDS.has(name)), "Not a field name a body may have");

/** A JSON value for a field: a string is a template, anything else is sent as it is. */
const fieldValue = (captures: boolean) =>
  z.json().superRefine((value, ctx) => {
    if (typeof value !== "string") return;
    const parsed = parseTemplate(value, captures);
    if (typeof parsed === "string") ctx.addIssue({ code: "custom", message: parsed });
  });

function verbs<V extends z.ZodType>(key: z.ZodString, value: V, what: string) {
  return z
    .strictObject({
      add: z
        .record(key, value)
        .default({} as Record<string, z.output<V>>)
        .meta({ title: "Add", description: `${what} to add when absent` }),
      set: z
        .record(key, value)
        .default({} as Record<string, z.output<V>>)
        .meta({ title: "Set", description: `${what} to set, replacing any` }),
      remove: z
        .array(key)
        .max(100)
        .default([])
        .meta({ title: "Remove", description: `${what} to remove` }),
      rename: z
        .record(key, key)
        .default({})
        .meta({ title: "Rename", description: `${what} to rename, from → to, keeping the value` }),
    })
    .prefault({});
}

export const headerRules = (captures: boolean) => verbs(ruleHeaderName, headerTemplate(captures), "Headers");
export const queryRules = () => verbs(z.string().min(1).max(200), template(true), "Query parameters");
export const bodyRules = (captures: boolean) => verbs(fieldPath, fieldValue(captures), "JSON fields");

export type HeaderRulesConfig = z.output<ReturnType<typeof headerRules>>;
export type QueryRulesConfig = z.output<ReturnType<typeof queryRules>>;
export type BodyRulesConfig = z.output<ReturnType<typeof bodyRules>>;

export const maxBodyBytes = (what: string) =>
  z
    .int()
    .min(1)
    .max(64 * MIB)
    .default(MIB)
    .meta({ title: "Largest JSON body (bytes)", description: `${what}; at most 64 MiB.` });

/** The four verbs, whatever they act on. */
export interface Rules {
  add: object;
  set: object;
  remove: unknown[];
  rename: object;
}

export const isEmptyRules = (rules: Rules) =>
  Object.keys(rules.add).length === 0 &&
  Object.keys(rules.set).length === 0 &&
  rules.remove.length === 0 &&
  Object.keys(rules.rename).length === 0;
