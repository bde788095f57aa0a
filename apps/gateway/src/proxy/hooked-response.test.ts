import type { ResponseHook } from "@gatehouse/policies";
import { expect, test } from "vitest";
import { HookedResponse } from "./hooked-response.ts";

test("headers hooks run in order on a copy of the upstream's headers", () => {
  const upstream = { "content-type": "text/plain", etag: '"1"' };
  const hooks: ResponseHook[] = [
    {
      onHeaders(r) {
        r.headers["x-a"] = "1";
      },
    },
    {
      onHeaders(r) {
        delete r.headers.etag;
      },
    },
  ];
  const hooked = new HookedResponse(hooks, 200, upstream);
  expect(hooked.response.headers).toEqual({ "content-type": "text/plain", "x-a": "1" });
  expect(upstream.etag).toBe('"1"');
  expect(hooked.holding).toBe(false);
});

test("a transform holds the body up to the smallest limit, transforms it in order and sets its length", () => {
  const seen: string[] = [];
  const hooks: ResponseHook[] = [
    { bodyLimit: 100, transformBody: (body) => Buffer.from(`${body}!`) },
    { bodyLimit: 10, transformBody: (body) => Buffer.from(body.toString().toUpperCase()) },
    { onData: (chunk) => seen.push(chunk.toString()), onEnd: (complete) => seen.push(`end ${complete}`) },
  ];
  const hooked = new HookedResponse(hooks, 200, { "content-length": "5" });
  expect(hooked.holding).toBe(true);
  expect(hooked.hold(Buffer.from("ab"))).toBe(true);
  expect(hooked.hold(Buffer.from("cde"))).toBe(true);
  const body = hooked.transformed();
  expect(body.toString()).toBe("ABCDE!");
  expect(hooked.response.headers["content-length"]).toBe("6");
  hooked.sent(body);
  hooked.end(true);
  hooked.end(false);
  expect(seen).toEqual(["ABCDE!", "end true"]);
});

test("a body past the limit is given up as it came, untransformed", () => {
  const hooked = new HookedResponse([{ bodyLimit: 4, transformBody: () => Buffer.from("never") }], 200, {});
  expect(hooked.hold(Buffer.from("abc"))).toBe(true);
  expect(hooked.hold(Buffer.from("def"))).toBe(false);
  expect(hooked.release().map(String)).toEqual(["abc", "def"]);
  expect(hooked.holding).toBe(false);
});
