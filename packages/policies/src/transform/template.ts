import { headerValue, type PolicyContext } from "../types.ts";

/** Where a `$(…)` variable takes its value from; `name` is what follows the dot. */
type Source = "consumer.id" | "consumer.name" | "requestId" | "claims" | "params" | "captures" | "headers" | "query";

interface Variable {
  source: Source;
  name: string;
}

/** Literal text and variables, in order: rendering is concatenation. */
export type Template = ReadonlyArray<string | Variable>;

const WHOLE: ReadonlySet<string> = new Set(["consumer.id", "consumer.name", "requestId"]);
const NAMED: ReadonlySet<string> = new Set(["claims", "params", "captures", "headers", "query"]);

const ANSWER_VARIABLES =
  "$(consumer.id), $(consumer.name), $(requestId), $(claims.<name>), $(params.<name>), $(headers.<name>), $(query.<name>)";
const TEMPLATE_VARIABLES = `${ANSWER_VARIABLES}, $(captures.<n or name>)`;

/** A template's parts, or the reason it is refused; `captures` only where a path pattern gives them. */
export function parseTemplate(text: string, captures = true): Template | string {
  const parts: Array<string | Variable> = [];
  let from = 0;
  for (;;) {
    const open = text.indexOf("$(", from);
    if (open === -1) break;
    const close = text.indexOf(")", open + 2);
    if (close === -1) return "A $( is not closed with )";
    const variable = variableOf(text.slice(open + 2, close), captures);
    if (typeof variable === "string") return variable;
    if (open > from) parts.push(text.slice(from, open));
    parts.push(variable);
    from = close + 1;
  }
  if (from < text.length) parts.push(text.slice(from));
  return parts;
}

function variableOf(inner: string, captures: boolean): Variable | string {
  if (WHOLE.has(inner)) return { source: inner as Source, name: "" };
  const dot = inner.indexOf(".");
  const source = dot === -1 ? inner : inner.slice(0, dot);
  const name = dot === -1 ? "" : inner.slice(dot + 1);
  if (!NAMED.has(source) || name === "" || (source === "captures" && !captures)) {
    return `Unknown variable $(${inner}); use ${captures ? TEMPLATE_VARIABLES : ANSWER_VARIABLES}`;
  }
  // Node gives header names in lower case.
  return { source: source as Source, name: source === "headers" ? name.toLowerCase() : name };
}

/** The capture names or numbers a template uses, for the check against the path pattern. */
export function capturesOf(template: Template): string[] {
  const names: string[] = [];
  for (const part of template) if (typeof part !== "string" && part.source === "captures") names.push(part.name);
  return names;
}

/** What one request offers templates: its context, the path pattern's match, its query parsed once if asked for. */
export class TemplateScope {
  readonly ctx: PolicyContext;
  readonly captures: RegExpExecArray | null;
  #query: URLSearchParams | null = null;

  constructor(ctx: PolicyContext, captures: RegExpExecArray | null = null) {
    this.ctx = ctx;
    this.captures = captures;
  }

  value(variable: Variable): string {
    const { ctx } = this;
    switch (variable.source) {
      case "consumer.id":
        return ctx.consumer?.id ?? "";
      case "consumer.name":
        return ctx.consumer?.name ?? "";
      case "requestId":
        return ctx.requestId;
      case "claims":
        return claimText(ctx.claims?.[variable.name]);
      case "params":
        return ctx.params[variable.name] ?? "";
      case "captures":
        return captureOf(this.captures, variable.name);
      case "headers":
        return headerValue(ctx, variable.name) ?? "";
      case "query":
        this.#query ??= new URLSearchParams(ctx.query);
        return this.#query.get(variable.name) ?? "";
    }
  }
}

function claimText(claim: unknown): string {
  if (claim === undefined || claim === null) return "";
  return typeof claim === "string" ? claim : JSON.stringify(claim);
}

function captureOf(match: RegExpExecArray | null, name: string): string {
  if (match === null) return "";
  return (/^\d+$/.test(name) ? match[Number(name)] : match.groups?.[name]) ?? "";
}

/** The template with its variables filled; `safe` makes a value fit where it lands (a header, a path). */
export function render(template: Template, scope: TemplateScope, safe?: (value: string) => string): string {
  let out = "";
  for (const part of template) {
    if (typeof part === "string") out += part;
    else out += safe === undefined ? scope.value(part) : safe(scope.value(part));
  }
  return out;
}
