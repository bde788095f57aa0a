import { readFileSync } from "node:fs";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { describe, expect, test } from "vitest";
import { configFileJsonSchema } from "./config-file-json-schema.ts";
import { CONFIG_FILE_JSON_SCHEMA_PATH } from "./write-config-file-json-schema.ts";

const REGENERATE =
  "node packages/policies/src/write-config-file-json-schema.ts && npx biome format --write gatehouse.config.schema.json";

const schema = configFileJsonSchema();
const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats.default(ajv);
const validate = ajv.compile(schema);

const fileWith = (policy: Record<string, unknown>) => ({
  version: 1,
  upstreams: [{ name: "main", targets: [{ url: "http://127.0.0.1:9000" }] }],
  apis: [{ name: "Orders", upstream: "main", routes: [{ paths: ["/orders"], policies: [policy] }] }],
});

const errorsOf = (file: unknown) =>
  validate(file) ? [] : (validate.errors ?? []).map((error) => `${error.instancePath} ${error.message}`);

describe("[CONFIG] the config file's JSON Schema", () => {
  test("the committed gatehouse.config.schema.json is the one the schemas make", () => {
    const committed = JSON.parse(readFileSync(CONFIG_FILE_JSON_SCHEMA_PATH, "utf8"));
    expect(committed, `gatehouse.config.schema.json is stale; from the repository's root run: ${REGENERATE}`).toEqual(
      schema,
    );
  });

  test("a file the Admin API accepts fits it, each policy by its own type's config schema", () => {
    expect(errorsOf(fileWith({ type: "rate-limit", config: { limits: { minute: 100 } } }))).toEqual([]);
    expect(errorsOf(fileWith({ type: "key-auth" }))).toEqual([]);
    expect(errorsOf(fileWith({ type: "rate-limit", config: { limits: { minute: -1 } } }))).toContain(
      "/apis/0/routes/0/policies/0/config/limits/minute must be >= 1",
    );
    expect(errorsOf(fileWith({ type: "key-auth", config: { header: "x-key", colour: "blue" } }))).toContain(
      "/apis/0/routes/0/policies/0/config must NOT have additional properties",
    );
    expect(errorsOf(fileWith({ type: "no-such-policy" }))).toContain(
      "/apis/0/routes/0/policies/0 must match exactly one schema in oneOf",
    );
  });

  test("the file's own shape: its version, required fields and no unknown ones", () => {
    expect(errorsOf({ version: 2 })).toContain("/version must be equal to constant");
    expect(errorsOf({ version: 1, apis: [{ name: "Orders", routes: [{ paths: ["/"] }] }] })).toContain(
      "/apis/0 must have required property 'upstream'",
    );
    expect(errorsOf({ version: 1, colour: "blue" })).toContain(" must NOT have additional properties");
  });
});
