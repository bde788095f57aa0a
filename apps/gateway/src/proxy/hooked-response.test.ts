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

const upper: ResponseHook = {
  bodyLimit: 100,
  transformBody: (body) => Buffer.from(`${body.toString().toUpperCase()}!`),
};

test("a body transform holds the answer and sends it transformed with its new Content-Length", () => {
  const hooked = new HookedResponse([upper], 200, { "content-length": "2" });
  expect(hooked.holding).toBe(true);
  expect(hooked.hold(Buffer.from("ok"))).toBe(true);
  expect(hooked.transformed().toString()).toBe("OK!");
  expect(hooked.response.headers["content-length"]).toBe("3");
});

test("a 204 or 304 is never held (held, it would be sent with a Content-Length of 0)", () => {
  for (const status of [204, 304]) expect(new HookedResponse([upper], status, { etag: '"v1"' }).holding).toBe(false);
});

test("a hook that drops its transform in onHeaders lets that answer stream", () => {
  const choosy: ResponseHook = {
    ...upper,
    onHeaders(response) {
      if (response.headers["content-type"] !== "application/json") this.transformBody = undefined;
    },
  };
  expect(new HookedResponse([{ ...choosy }], 200, { "content-type": "image/png" }).holding).toBe(false);
  expect(new HookedResponse([{ ...choosy }], 200, { "content-type": "application/json" }).holding).toBe(true);
});

test("a body that outgrows the transform's limit goes as it came, and onData sees every byte of it", () => {
  const seen: string[] = [];
  const hooked = new HookedResponse(
    [{ ...upper, bodyLimit: 4 }, { onData: (chunk) => seen.push(chunk.toString()) }],
    200,
    {},
  );
  expect(hooked.hold(Buffer.from("abc"))).toBe(true);
  expect(hooked.hold(Buffer.from("defg"))).toBe(false);
  expect(hooked.overflowed().map(String)).toEqual(["abc", "defg"]);
  hooked.sent(Buffer.from("rest"));
  expect(seen).toEqual(["abc", "defg", "rest"]);
});
