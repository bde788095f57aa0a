import { configFileJsonSchema } from "@gatehouse/policies/config-file-json-schema";
import { afterAll, beforeAll, expect, test } from "vitest";
import { type AdminApiHarness, startAdminApi } from "../test-support/admin-api-harness.ts";

let h: AdminApiHarness;
beforeAll(() => {
  h = startAdminApi();
});
afterAll(() => h.close());

test("[CONFIG] GET /config/schema.json answers the config file's JSON Schema, to an admin only", async () => {
  const answer = await h.call("GET", "/config/schema.json");
  expect(answer.status).toBe(200);
  expect(answer.headers.get("content-type")).toBe("application/schema+json");
  expect(answer.json).toEqual(configFileJsonSchema());
  expect((await h.call("GET", "/config/schema.json", undefined, { authorization: "Bearer wrong" })).status).toBe(401);
});
