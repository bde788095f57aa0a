import { GatehouseError } from "@gatehouse/shared";
import { parse as parseYaml } from "yaml";

/** YAML or JSON text as a value; a syntax error is a 400 on `field` saying where the parser stopped. */
export function readYamlText(text: string, field: string): unknown {
  try {
    // YAML 1.2 is a superset of JSON, so one parser reads both. Errors still throw; a client's odd
    // tag is only a warning, which must not land in the server's log.
    return parseYaml(text, { maxAliasCount: 1000, logLevel: "error" });
  } catch (error) {
    // The parser's own wording is written for YAML's authors; the client gets where it stopped.
    const at = (error as { linePos?: { line: number; col: number }[] }).linePos?.[0];
    const where = at === undefined ? "" : ` (line ${at.line}, column ${at.col})`;
    throw new GatehouseError("validation_failed", "The document cannot be read", [
      { path: field, message: `This is not a YAML or JSON document${where}` },
    ]);
  }
}
