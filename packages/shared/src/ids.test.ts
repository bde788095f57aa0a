import { expect, test } from "vitest";
import { newId } from "./ids.ts";

test("ids carry their prefix and do not repeat, across refills of the random pool", () => {
  const ids = new Set<string>();
  for (let i = 0; i < 5000; i++) ids.add(newId("request"));
  expect(ids.size).toBe(5000);
  for (const id of ids) expect(id).toMatch(/^req_[0-9A-Za-z]{20}$/);
});
