import { afterEach, beforeEach, expect, test } from "vitest";
import { type AdminApiHarness, startAdminApi } from "../test-support/admin-api-harness.ts";

let h: AdminApiHarness;
beforeEach(() => {
  h = startAdminApi();
});
afterEach(() => h.close());

test("[POLICIES] a request-validation policy with an unusable JSON Schema is refused naming the field, and never stored", async () => {
  const refused = await h.call("POST", "/policies", {
    type: "request-validation",
    config: { body: { type: "object" }, query: { type: "object", properties: { limit: { type: "integr" } } } },
  });
  expect(refused.status).toBe(400);
  expect(refused.json.error.code).toBe("validation_failed");
  expect(refused.json.error.fields).toHaveLength(1);
  expect(refused.json.error.fields[0].path).toBe("config.query");
  expect(refused.json.error.fields[0].message).toMatch(/^Not a usable JSON Schema: .*type must be equal to one of/);
  expect((await h.call("GET", "/policies")).json.data).toEqual([]);

  const saved = await h.call("POST", "/policies", {
    type: "request-validation",
    config: { body: { type: "object", required: ["sku"] } },
  });
  expect(saved.status, JSON.stringify(saved.json)).toBe(201);
  expect(saved.json.config).toEqual({ body: { type: "object", required: ["sku"] }, maxBodyBytes: 1024 * 1024 });
  const patched = await h.call("PATCH", `/policies/${saved.json.id}`, {
    config: { headers: { required: ["x-tenant"], unknownKeyword: 1 } },
  });
  expect(patched.status).toBe(400);
  expect(patched.json.error.fields[0].path).toBe("config.headers");
  expect((await h.call("GET", `/policies/${saved.json.id}`)).json.config.headers).toBeUndefined();
});
