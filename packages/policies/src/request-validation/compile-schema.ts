import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

/** The parts of a request a schema may check, in the order they are checked. */
export const REQUEST_PARTS = ["params", "query", "headers", "body"] as const;
export type RequestPart = (typeof REQUEST_PARTS)[number];

export type JsonSchema = Record<string, unknown>;

// OpenAPI writes these beside JSON Schema's keywords; they describe and never constrain.
const OPENAPI_ANNOTATIONS = ["example", "xml", "externalDocs", "discriminator"];

const OPTIONS = {
  allErrors: true,
  logger: false,
  // Unknown keywords (a typo such as `requried`) and unknown formats are refused; type hints are not demanded.
  strictSchema: true,
  strictTypes: false,
  strictTuples: false,
  strictRequired: false,
} as const;

// One meta-schema check for every policy; each compile gets its own instance (below).
const metaSchema = new Ajv2020(OPTIONS);

/**
 * Text arrives in query, params and headers, so those coerce ("5" passes `integer`); query and
 * headers also coerce one value to an array where the schema says array. A body never coerces.
 */
function coercionOf(part: RequestPart): boolean | "array" {
  if (part === "body") return false;
  return part === "params" ? true : "array";
}

/** Header names arrive lower-case, so a schema's names are matched lower-case too. */
function lowerCaseNames(schema: JsonSchema): JsonSchema {
  const { properties, required } = schema;
  const lowered = { ...schema };
  if (properties !== null && typeof properties === "object") {
    lowered.properties = Object.fromEntries(
      Object.entries(properties).map(([name, value]) => [name.toLowerCase(), value]),
    );
  }
  if (Array.isArray(required)) {
    lowered.required = required.map((name) => (typeof name === "string" ? name.toLowerCase() : name));
  }
  return lowered;
}

/**
 * A validator for one part of a request (JSON Schema draft 2020-12, with the formats of
 * ajv-formats). Throws when the schema is invalid: not a schema, an unknown keyword or format,
 * a `$ref` it cannot resolve. An instance per schema, so `$id`s of different policies never
 * meet and a retired revision's validators go with it.
 */
export function compileSchema(part: RequestPart, schema: JsonSchema): ValidateFunction {
  const source = part === "headers" ? lowerCaseNames(schema) : schema;
  // Ajv would make an async validator of it, whose answer is a promise rather than true or false.
  if (source.$async === true) throw new Error("$async schemas are not supported");
  if (!metaSchema.validateSchema(source)) throw new Error(metaSchema.errorsText(metaSchema.errors, { dataVar: "" }));
  const ajv = new Ajv2020({ ...OPTIONS, validateSchema: false, coerceTypes: coercionOf(part) });
  addFormats.default(ajv);
  ajv.addVocabulary(OPENAPI_ANNOTATIONS);
  return ajv.compile(source);
}

/**
 * Why a schema cannot be used, or undefined when it can. Where code may not be generated (the
 * console's page under its Content-Security-Policy) nothing is said: the Admin API checks again.
 */
export function schemaProblem(part: RequestPart, schema: JsonSchema): string | undefined {
  try {
    compileSchema(part, schema);
    return undefined;
  } catch (error) {
    if (error instanceof EvalError) return undefined;
    return `Not a usable JSON Schema: ${(error as Error).message}`;
  }
}
