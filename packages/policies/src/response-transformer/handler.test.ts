import { expect, test } from "vitest";
import { testContext, testServices } from "../test-context.ts";
import type { PolicyContext, ResponseHook, UpstreamResponse } from "../types.ts";
import { responseTransformer } from "./handler.ts";
import { responseTransformerSchema } from "./schema.ts";

const handler = (config: Record<string, unknown>) =>
  responseTransformer.create(responseTransformerSchema.config.parse(config), testServices(), "p1");

/** The hook the policy adds for a request, as the gateway runs it on an answer. */
function hookFor(config: Record<string, unknown>, ctx: PolicyContext = testContext()): ResponseHook {
  handler(config).handle(ctx);
  expect(ctx.responseHooks).toHaveLength(1);
  return ctx.responseHooks[0] as ResponseHook;
}

const answer = (headers: Record<string, string | string[]>): UpstreamResponse => ({ status: 200, headers });

test("headers: remove, rename, set and add on the upstream's answer and on headers policies added", () => {
  const ctx = testContext({ requestId: "req_3" });
  ctx.responseHeaders["X-RateLimit-Limit-Minute"] = "10";
  ctx.responseHeaders["RateLimit-Policy"] = '"minute";q=10';
  const hook = hookFor(
    {
      headers: {
        remove: ["server", "x-ratelimit-limit-minute"],
        rename: { "x-internal-id": "x-id", "ratelimit-policy": "x-limit-policy" },
        set: { "cache-control": "no-store", "x-served-for": "$(requestId)" },
        add: { "x-frame-options": "DENY", vary: "ignored" },
      },
    },
    ctx,
  );
  const response = answer({ server: "nginx", "x-internal-id": "7", "cache-control": "max-age=60", vary: "accept" });
  hook.onHeaders?.(response);
  expect(response.headers).toEqual({
    "x-id": "7",
    "x-limit-policy": '"minute";q=10',
    "cache-control": "no-store",
    "x-served-for": "req_3",
    "x-frame-options": "DENY",
    vary: "accept",
  });
  expect(ctx.responseHeaders).toEqual({});
  expect(hook.transformBody).toBeUndefined();
});

test("body: a JSON answer's fields are rewritten; ETag and Content-MD5 go with the old bytes", () => {
  const hook = hookFor({ body: { remove: ["secret"], set: { "meta.by": "gateway" } }, maxBodyBytes: 4096 });
  expect(hook.bodyLimit).toBe(4096);
  const response = answer({
    "content-type": "application/vnd.api+json; charset=utf-8",
    etag: '"1"',
    "content-md5": "x",
  });
  hook.onHeaders?.(response);
  const out = hook.transformBody?.(Buffer.from('{"id":1,"secret":"s"}'), response);
  expect(JSON.parse(String(out))).toEqual({ id: 1, meta: { by: "gateway" } });
  expect(response.headers).toEqual({ "content-type": "application/vnd.api+json; charset=utf-8" });
});

test("body: an answer whose rules change nothing, or that is not valid JSON, goes as it came, ETag and all", () => {
  const hook = hookFor({ body: { remove: ["absent"] } });
  const response = answer({ "content-type": "application/json", etag: '"1"' });
  hook.onHeaders?.(response);
  const raw = Buffer.from('{"id":1}');
  expect(hook.transformBody?.(raw, response)).toBe(raw);
  const broken = Buffer.from("{");
  expect(hook.transformBody?.(broken, response)).toBe(broken);
  expect(response.headers.etag).toBe('"1"');
});

test("body: an answer that is not JSON, or is encoded, is not held; a retry's JSON answer is", () => {
  const hook = hookFor({ body: { set: { a: 1 } } });
  const notJson: Array<Record<string, string>> = [
    { "content-type": "text/html" },
    {},
    { "content-type": "application/json", "content-encoding": "gzip" },
  ];
  for (const headers of notJson) {
    hook.onHeaders?.(answer(headers));
    expect(hook.transformBody).toBeUndefined();
  }
  hook.onHeaders?.(answer({ "content-type": "application/json" }));
  expect(hook.transformBody).toBeTypeOf("function");
});

test("HEAD gets the header rules only, and a config without rules adds no hook", () => {
  const head = testContext({ method: "HEAD" });
  handler({ body: { set: { a: 1 } } }).handle(head);
  expect(head.responseHooks).toEqual([]);
  const both = hookFor({ headers: { set: { "x-a": "1" } }, body: { set: { a: 1 } } }, testContext({ method: "HEAD" }));
  both.onHeaders?.(answer({ "content-type": "application/json" }));
  expect(both.transformBody).toBeUndefined();
  const none = testContext();
  handler({}).handle(none);
  expect(none.responseHooks).toEqual([]);
});

test("the schema refuses $(captures…), which only a request-transformer's path pattern gives", () => {
  const result = responseTransformerSchema.config.safeParse({ headers: { set: { "x-a": "$(captures.1)" } } });
  expect(result.error?.issues[0]?.path).toEqual(["headers", "set", "x-a"]);
});
