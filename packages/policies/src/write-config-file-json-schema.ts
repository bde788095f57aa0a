import { writeFileSync } from "node:fs";
import { configFileJsonSchema } from "./config-file-json-schema.ts";

/** Where editors find the config file's schema: the repository's root (see README, "Config as code"). */
export const CONFIG_FILE_JSON_SCHEMA_PATH = new URL("../../../gatehouse.config.schema.json", import.meta.url);

export const configFileJsonSchemaText = () => `${JSON.stringify(configFileJsonSchema(), null, 2)}\n`;

if (import.meta.main) writeFileSync(CONFIG_FILE_JSON_SCHEMA_PATH, configFileJsonSchemaText());
