import { expect, test } from "vitest";
import { fileLogSchema } from "./schema.ts";

const parse = (input: Record<string, unknown>) => fileLogSchema.config.safeParse(input);

test("file-log needs an absolute file path and bounds its rotation", () => {
  expect(parse({ path: "/var/log/gatehouse/access.log" }).data).toEqual({
    path: "/var/log/gatehouse/access.log",
    maxBytes: 100 * 1024 * 1024,
    maxFiles: 5,
    flushIntervalMs: 200,
    bufferLimit: 10_000,
  });
  for (const path of ["access.log", "./logs/access.log", "/var/log/", ""]) {
    expect(parse({ path }).error?.issues[0]?.path, path).toEqual(["path"]);
  }
  expect(parse({ path: "/a.log", maxBytes: 10 }).error?.issues[0]?.path).toEqual(["maxBytes"]);
  expect(parse({ path: "/a.log", maxFiles: 101 }).error?.issues[0]?.path).toEqual(["maxFiles"]);
});
