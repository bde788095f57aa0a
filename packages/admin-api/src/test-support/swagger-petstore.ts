import { readFileSync } from "node:fs";

/** The real Swagger Petstore 3 document as YAML text (Apache-2.0, see swagger-petstore/NOTICE.md). */
export const SWAGGER_PETSTORE_YAML = readFileSync(new URL("./swagger-petstore/openapi.yaml", import.meta.url), "utf8");
