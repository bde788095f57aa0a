import type { ConfigDb } from "@gatehouse/db";
import type { ConfigFile } from "@gatehouse/shared";
import { stringify } from "yaml";
import { readConfigObjects, readKeyReferences } from "./config-objects.ts";
import { toConfigFile } from "./to-config-file.ts";

/** The config as a file, secrets left out, keys as references, in one read transaction. */
export function dumpConfig(db: ConfigDb): ConfigFile {
  return db.transaction(() => toConfigFile(readConfigObjects(db.$client), { keys: readKeyReferences(db.$client) }), {
    behavior: "deferred",
  });
}

/** YAML as people write it: no folded lines, so a changed value is a one-line diff. */
export function configYaml(file: ConfigFile): string {
  return stringify(file, { lineWidth: 0, aliasDuplicateObjects: false });
}
