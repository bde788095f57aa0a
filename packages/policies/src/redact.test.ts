import { expect, test } from "vitest";
import { z } from "zod";
import { redactConfig, withoutRedacted, writeOnlyFields } from "./redact.ts";

const schema = z.object({
  secret: z.string().meta({ title: "Secret", writeOnly: true }),
  redisUrl: z.string(),
  header: z.string(),
});

test("write-only fields are left out and URL passwords masked", () => {
  const config = { secret: "s3cret-value", redisUrl: "redis://user:hunter2@10.0.0.1:6379/0", header: "x-a" };
  const shown = redactConfig(schema, config);
  expect(shown).toEqual({ redisUrl: "redis://user:****@10.0.0.1:6379/0", header: "x-a" });
  expect(JSON.stringify(shown)).not.toMatch(/hunter2|s3cret/);
  expect(writeOnlyFields(schema)).toEqual(["secret"]);
  expect(redactConfig(schema, { redisUrl: "redis://10.0.0.1:6379" })).toEqual({ redisUrl: "redis://10.0.0.1:6379" });
});

test("a password in the query is masked too, and a masked value sent back does not replace the secret", () => {
  const saved = { redisUrl: "redis://10.0.0.1:6379/0?password=hunter2", header: "x-a" };
  const shown = redactConfig(schema, saved);
  expect(shown.redisUrl).toBe("redis://10.0.0.1:6379/0?password=****");
  expect(withoutRedacted(schema, saved, { ...shown, header: "x-b" })).toEqual({ header: "x-b" });
  expect(withoutRedacted(schema, saved, { redisUrl: "redis://10.0.0.2:6379" })).toEqual({
    redisUrl: "redis://10.0.0.2:6379",
  });
});
