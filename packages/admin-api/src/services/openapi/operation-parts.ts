import { findPolicySchema } from "@gatehouse/policies/schemas";
import { GatehouseError } from "@gatehouse/shared";
import { type JsonSchema, optionalBody, SchemaConverter } from "./convert-schema.ts";
import {
  invalidDocument,
  type OpenApiDocument,
  type OperationObject,
  type Parameter,
  type PathItem,
  type RequestBody,
} from "./openapi-document.ts";

/** The request-validation config parts an operation gives; null: that part is not checked. */
export interface ValidationParts {
  params: JsonSchema | null;
  query: JsonSchema | null;
  headers: JsonSchema | null;
  body: JsonSchema | null;
}
type Schema = JsonSchema | boolean;

// OpenAPI: parameters named so are described by other fields and are ignored.
const IGNORED_HEADERS = ["accept", "content-type", "authorization"];
const PLACES = { path: "params", query: "query", header: "headers" } as const;

/** Follows `#/components/<kind>/X` refs (a component may itself be a ref) to the object they name. */
function resolved<T extends { $ref?: string }>(
  document: OpenApiDocument,
  kind: "parameters" | "requestBodies",
  value: T,
  field: string,
): T {
  let current = value;
  for (let hops = 0; current.$ref !== undefined; hops++) {
    const prefix = `#/components/${kind}/`;
    const name = current.$ref.startsWith(prefix) ? current.$ref.slice(prefix.length) : undefined;
    const target = name === undefined ? undefined : (document.components?.[kind]?.[name] as T | undefined);
    if (target === undefined || hops > 20) {
      throw invalidDocument([
        { path: `${field}.$ref`, message: `${current.$ref} names nothing in components.${kind}` },
      ]);
    }
    current = target;
  }
  return current;
}

/** The policy reads a body as JSON, so only a JSON media type gives the body schema; a parameter takes its one type. */
const jsonSchemaOf = (content: Record<string, { schema?: Schema }> | undefined): Schema | undefined =>
  Object.entries(content ?? {}).find(([type]) => /^application\/(.+\+)?json\b/i.test(type))?.[1].schema;
const parameterSchemaOf = (content: Record<string, { schema?: Schema }> | undefined): Schema | undefined =>
  Object.values(content ?? {})[0]?.schema;

/** Path-level parameters, overridden by the operation's own of the same name and place. */
function parametersOf(document: OpenApiDocument, item: PathItem, operation: OperationObject, field: string) {
  const byKey = new Map<string, Parameter>();
  const add = (list: Parameter[] | undefined, at: string) =>
    list?.forEach((parameter, i) => {
      const p = resolved(document, "parameters", parameter, `${at}.parameters.${i}`);
      byKey.set(`${p.in} ${p.name}`, p);
    });
  add(item.parameters, field.slice(0, field.lastIndexOf(".")));
  add(operation.parameters, field);
  return [...byKey.values()];
}

function objectOf(converter: SchemaConverter, schemas: Record<string, Schema>, required: string[]): JsonSchema {
  return {
    type: "object",
    ...converter.properties(schemas),
    ...(required.length > 0 ? { required } : {}),
  };
}

/** The parts for one operation, each compiled by the policy's own schema; `field` is `document.paths./x.get`. */
export function operationParts(
  document: OpenApiDocument,
  item: PathItem,
  operation: OperationObject,
  field: string,
): ValidationParts {
  const converter = new SchemaConverter(document.components?.schemas ?? {}, document.openapi.startsWith("3.0."));
  const parts: ValidationParts = { params: null, query: null, headers: null, body: null };
  try {
    for (const place of ["path", "query", "header"] as const) {
      const schemas: Record<string, Schema> = {};
      const required: string[] = [];
      for (const p of parametersOf(document, item, operation, field)) {
        if (p.in !== place) continue;
        const name = place === "header" ? (p.name as string).toLowerCase() : (p.name as string);
        if (place === "header" && IGNORED_HEADERS.includes(name)) continue;
        schemas[name] = p.schema ?? parameterSchemaOf(p.content) ?? {};
        if (p.required === true || place === "path") required.push(name);
      }
      if (Object.keys(schemas).length > 0) parts[PLACES[place]] = objectOf(converter, schemas, required);
    }
    if (operation.requestBody !== undefined) {
      const body: RequestBody = resolved(document, "requestBodies", operation.requestBody, `${field}.requestBody`);
      const schema = jsonSchemaOf(body.content);
      if (schema !== undefined) {
        const converted = converter.standalone(schema);
        parts.body = body.required === true ? converted : optionalBody(converted);
      }
    }
  } catch (error) {
    if (error instanceof GatehouseError) throw error;
    throw invalidDocument([{ path: field, message: (error as Error).message }]);
  }
  const checked = findPolicySchema("request-validation")?.config.safeParse(parts);
  if (checked && !checked.success) {
    const issue = checked.error.issues[0];
    throw invalidDocument([
      { path: field, message: `The ${String(issue?.path[0] ?? "")} schema it gives: ${issue?.message ?? "unusable"}` },
    ]);
  }
  return parts;
}
