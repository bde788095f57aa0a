import { type ConfigFile, configFileSchema, type FieldError, fieldErrors, GatehouseError } from "@gatehouse/shared";
import { readYamlText } from "../yaml-text.ts";

export const invalidFile = (fields: FieldError[], message = "The config file has errors; nothing was changed") =>
  new GatehouseError("validation_failed", message, fields);

/** The file as text (YAML or JSON) or as a document, checked against the file schema; paths are the document's. */
export function readConfigFile(input: string | Record<string, unknown>): ConfigFile {
  const document = typeof input === "string" ? readYamlText(input, "config") : input;
  if (document === null || typeof document !== "object" || Array.isArray(document)) {
    throw invalidFile([{ path: "config", message: "A config file is a mapping with version, upstreams, apis, …" }]);
  }
  const result = configFileSchema.safeParse(document);
  if (!result.success) throw invalidFile(fieldErrors(result.error));
  return result.data;
}
