import { statSync } from "node:fs";
import { dirname } from "node:path";
import type { PolicySchema } from "@gatehouse/policies/schemas";
import { GatehouseError } from "@gatehouse/shared";

/**
 * A file-log's directory must exist when it is saved: the gateway would otherwise drop every
 * line with only a log line to say why. Checked on this host, which `npm start` shares with
 * the gateway.
 */
export function checkLogFile(schema: PolicySchema, config: Record<string, unknown>): void {
  if (schema.type !== "file-log" || typeof config.path !== "string") return;
  const directory = dirname(config.path);
  if (statSync(directory, { throwIfNoEntry: false })?.isDirectory() === true) return;
  throw new GatehouseError("validation_failed", "The request has invalid fields", [
    { path: "config.path", message: `No directory ${directory}` },
  ]);
}
