import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";

type JsonSchema = Record<string, unknown>;
interface Answer {
  description: string;
  content?: Record<string, { schema: JsonSchema }>;
}
interface OperationDoc {
  operationId: string;
  responses: Record<string, Answer>;
}
export interface OpenApiDoc {
  paths: Record<string, Record<string, OperationDoc>>;
  components: { schemas: Record<string, JsonSchema> };
}

const COMPONENTS = "https://gatehouse.test/components.json";
const METHODS = ["get", "post", "put", "patch", "delete"];

/**
 * Checks real Admin API answers against the OpenAPI document with ajv (JSON Schema 2020-12,
 * OpenAPI 3.1's dialect): the status must be declared for the operation, the media type too,
 * and a JSON body must match the declared schema. Mismatches are collected, not thrown, so one
 * run lists them all; every operation and status checked is remembered for the coverage check.
 */
export class OpenApiChecker {
  readonly mismatches: string[] = [];
  readonly exercised = new Set<string>();
  readonly #ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
  readonly #validators = new Map<string, ValidateFunction>();
  readonly #templates: { template: string; pattern: RegExp; params: number }[];

  readonly doc: OpenApiDoc;
  readonly basePath: string;

  constructor(doc: OpenApiDoc, basePath: string) {
    this.doc = doc;
    this.basePath = basePath;
    this.#ajv.addSchema({ $id: COMPONENTS, $defs: doc.components.schemas });
    this.#templates = Object.keys(doc.paths)
      .map((template) => ({
        template,
        pattern: new RegExp(`^${template.replace(/\{\w+\}/g, "[^/]+")}$`),
        params: (template.match(/\{/g) ?? []).length,
      }))
      .sort((a, b) => a.params - b.params);
  }

  /** Every operation as `method template`, with its declared statuses. */
  operations(): { key: string; statuses: string[] }[] {
    return Object.entries(this.doc.paths).flatMap(([template, item]) =>
      Object.entries(item)
        .filter(([method]) => METHODS.includes(method))
        .map(([method, op]) => ({ key: `${method} ${template}`, statuses: Object.keys(op.responses) })),
    );
  }

  /** The operation a concrete request path falls under, literal segments winning over parameters. */
  operationOf(method: string, url: string): string {
    const path = `${this.basePath}${url.split("?")[0]}`;
    const found = this.#templates.find(
      ({ template, pattern }) => pattern.test(path) && this.doc.paths[template]?.[method],
    );
    if (!found) throw new Error(`${method} ${path} is no operation of the document`);
    return `${method} ${found.template}`;
  }

  check(method: string, url: string, status: number, contentType: string | null, text: string): void {
    const key = this.operationOf(method, url);
    const [, template] = key.split(" ") as [string, string];
    const op = this.doc.paths[template]?.[method] as OperationDoc;
    const where = `${key} → ${status}`;
    this.exercised.add(`${key} ${status}`);
    const answer = op.responses[String(status)];
    if (!answer) {
      this.mismatches.push(`${where}: status not declared (${text.slice(0, 200)})`);
      return;
    }
    if (!answer.content) {
      if (text !== "") this.mismatches.push(`${where}: declared without a body, got ${text.slice(0, 100)}`);
      return;
    }
    const mediaType = (contentType ?? "").split(";")[0]?.trim() ?? "";
    const declared = answer.content[mediaType];
    if (!declared) {
      this.mismatches.push(`${where}: media type ${mediaType} not declared`);
      return;
    }
    if (mediaType !== "application/json") return;
    const validate = this.#validator(`${key} ${status}`, declared.schema);
    if (!validate(JSON.parse(text))) {
      const errors = (validate.errors ?? []).map(
        (e) => `${e.instancePath || "/"} ${e.message} ${JSON.stringify(e.params)}`,
      );
      this.mismatches.push(`${where}: ${errors.join("; ")}`);
    }
  }

  #validator(key: string, schema: JsonSchema): ValidateFunction {
    const known = this.#validators.get(key);
    if (known) return known;
    const absolute = JSON.parse(JSON.stringify(schema).replaceAll('"#/components/schemas/', `"${COMPONENTS}#/$defs/`));
    const validate = this.#ajv.compile(absolute);
    this.#validators.set(key, validate);
    return validate;
  }
}
