import { expect, test } from "vitest";
import { apiPatchSchema } from "./api.ts";
import { routePatchSchema } from "./route.ts";
import { targetPatchSchema, upstreamPatchSchema } from "./upstream.ts";

test("a patch keeps only the fields it names: no defaults creep back in", () => {
  expect(routePatchSchema.parse({ priority: 5 })).toEqual({ priority: 5 });
  expect(apiPatchSchema.parse({ name: "Renamed" })).toEqual({ name: "Renamed" });
  expect(targetPatchSchema.parse({ weight: 3 })).toEqual({ weight: 3 });
  expect(upstreamPatchSchema.parse({ readTimeoutMs: 10 })).toEqual({ readTimeoutMs: 10 });
});

test("a patch still validates the fields it names", () => {
  expect(routePatchSchema.safeParse({ paths: ["nope"] }).success).toBe(false);
  expect(apiPatchSchema.safeParse({}).success).toBe(false);
  expect(targetPatchSchema.safeParse({ weight: -1 }).success).toBe(false);
});

test("field titles are found through optional and default wrappers", async () => {
  const { fieldMeta } = await import("./common.ts");
  expect(fieldMeta(upstreamPatchSchema, "readTimeoutMs").title).toBe("Read timeout");
  expect(fieldMeta(routePatchSchema, "paths").title).toBe("Paths");
});
