import { fieldErrors } from "@gatehouse/shared";
import { expect, test } from "vitest";
import { mirrorSchema } from "./schema.ts";

const issuesAt = (config: Record<string, unknown>) => {
  const result = mirrorSchema.config.safeParse(config);
  return result.success ? [] : fieldErrors(result.error).map((error) => error.path);
};

test("only the upstream is required; the rest defaults to every request, 64 KiB bodies, 64 in flight, 5 s", () => {
  expect(mirrorSchema.config.parse({ upstreamId: "ups_shadow" })).toEqual({
    upstreamId: "ups_shadow",
    percent: 100,
    maxBodyBytes: 64 * 1024,
    maxConcurrent: 64,
    timeoutMs: 5000,
  });
  expect(issuesAt({})).toEqual(["upstreamId"]);
  expect(issuesAt({ upstreamId: "" })).toEqual(["upstreamId"]);
  expect(mirrorSchema.upstreamFields).toEqual(["upstreamId"]);
});

test("percent is 0 to 100 with up to two decimals", () => {
  for (const percent of [0, 0.01, 12.34, 99.99, 100]) expect(issuesAt({ upstreamId: "u", percent })).toEqual([]);
  for (const percent of [-1, 100.01, 0.001, 33.333, "10"]) {
    expect(issuesAt({ upstreamId: "u", percent })).toEqual(["percent"]);
  }
});

test("the bounds refuse what makes no sense, naming the field", () => {
  expect(issuesAt({ upstreamId: "u", maxBodyBytes: -1 })).toEqual(["maxBodyBytes"]);
  expect(issuesAt({ upstreamId: "u", maxBodyBytes: 16 * 1024 * 1024 + 1 })).toEqual(["maxBodyBytes"]);
  expect(issuesAt({ upstreamId: "u", maxBodyBytes: 0 })).toEqual([]);
  expect(issuesAt({ upstreamId: "u", maxConcurrent: 0 })).toEqual(["maxConcurrent"]);
  expect(issuesAt({ upstreamId: "u", maxConcurrent: 1.5 })).toEqual(["maxConcurrent"]);
  expect(issuesAt({ upstreamId: "u", timeoutMs: 0 })).toEqual(["timeoutMs"]);
  expect(issuesAt({ upstreamId: "u", timeoutMs: 60_001 })).toEqual(["timeoutMs"]);
});
