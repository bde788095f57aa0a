import type { z } from "zod";
import { listInWords } from "../words.ts";
import { REQUEST_PARTS } from "./compile-schema.ts";
import type { requestValidationSchema } from "./schema.ts";

const NAMES = { params: "path parameters", query: "query", headers: "headers", body: "body" } as const;

/** "checks body and query". */
export function summarizeRequestValidation(config: z.output<typeof requestValidationSchema.config>): string {
  const checked = REQUEST_PARTS.filter((part) => config[part] !== undefined && config[part] !== null);
  return checked.length === 0 ? "checks nothing yet" : `checks ${listInWords(checked.map((part) => NAMES[part]))}`;
}
