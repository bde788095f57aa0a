import { fieldErrors } from "@gatehouse/shared";
import { expect, test } from "vitest";
import { requestTransformerSchema } from "./schema.ts";

const errors = (config: Record<string, unknown>) => {
  const result = requestTransformerSchema.config.safeParse(config);
  return result.success ? [] : fieldErrors(result.error);
};

test("an empty config changes nothing and reads bodies up to 1 MiB", () => {
  const none = { add: {}, set: {}, remove: [], rename: {} };
  expect(requestTransformerSchema.config.parse({})).toEqual({
    headers: none,
    query: none,
    pathPattern: "",
    path: "",
    host: "",
    body: none,
    maxBodyBytes: 1024 * 1024,
    onLargeBody: "pass",
  });
});

test("header names are HTTP tokens, lower-cased; hop-by-hop, Host and the gateway's own are refused", () => {
  const parsed = requestTransformerSchema.config.parse({ headers: { set: { "X-Tenant": "a" }, remove: ["Cookie"] } });
  expect(parsed.headers).toMatchObject({ set: { "x-tenant": "a" }, remove: ["cookie"] });
  expect(errors({ headers: { set: { "x tenant": "a" } } })).toEqual([
    { path: "headers.set.x tenant", message: "Not a valid header name" },
  ]);
  for (const name of [
    "connection",
    "Transfer-Encoding",
    "proxy-authorization",
    "host",
    "content-length",
    "x-request-id",
  ]) {
    expect(errors({ headers: { remove: [name] } })[0]?.path).toBe("headers.remove.0");
  }
  expect(errors({ headers: { rename: { "x-a": "upgrade" } } })[0]?.path).toBe("headers.rename.x-a");
  expect(errors({ headers: { add: { "x-a": "one\r\ntwo" } } })).toEqual([
    { path: "headers.add.x-a", message: "Use printable characters: no line breaks" },
  ]);
});

test("a template with an unknown variable is refused at its field", () => {
  expect(errors({ headers: { set: { "x-a": "$(consumer.email)" } } })[0]?.path).toBe("headers.set.x-a");
  expect(errors({ query: { add: { tenant: "$(tenant)" } } })[0]?.path).toBe("query.add.tenant");
  expect(errors({ body: { set: { owner: "$(claims.sub" } } })[0]).toEqual({
    path: "body.set.owner",
    message: "A $( is not closed with )",
  });
  expect(errors({ path: "/v2/$(param.id)" })[0]?.path).toBe("path");
  expect(errors({ body: { set: { owner: { nested: "$(whatever)" } } } })).toEqual([]);
});

test("captures need a path pattern that has the group named", () => {
  expect(errors({ path: "/u/$(captures.1)" })).toEqual([
    { path: "path", message: "$(captures.…) needs a path pattern" },
  ]);
  expect(errors({ pathPattern: "^/users/(\\d+)$", headers: { set: { "x-id": "$(captures.2)" } } })).toEqual([
    { path: "headers.set.x-id", message: "The path pattern has no group 2" },
  ]);
  expect(errors({ pathPattern: "^/users/(?<id>\\d+)$", path: "/u/$(captures.user)" })[0]?.message).toBe(
    "The path pattern has no group user",
  );
  expect(errors({ pathPattern: "^/users/(?<id>\\d+)$", path: "/u/$(captures.id)/$(captures.1)" })).toEqual([]);
  expect(errors({ pathPattern: "^/users/(" })).toEqual([
    { path: "pathPattern", message: "Not a valid regular expression" },
  ]);
});

test("the path starts with /, the host is a host name, body paths are dotted field names", () => {
  expect(errors({ path: "v2/x" })[0]?.path).toBe("path");
  expect(errors({ path: "/x?y=1" })[0]?.path).toBe("path");
  expect(errors({ path: "/a b/é" })[0]).toEqual({
    path: "path",
    message: "Use URL path characters: no ?, # or spaces",
  });
  expect(requestTransformerSchema.config.parse({ host: " API.Internal:8443 " }).host).toBe("api.internal:8443");
  expect(errors({ host: "http://api.internal" })[0]?.path).toBe("host");
  expect(errors({ body: { remove: ["a..b"] } })[0]?.path).toBe("body.remove.0");
  expect(errors({ body: { set: { "__proto__.polluted": 1 } } })[0]?.path).toBe("body.set.__proto__.polluted");
  expect(errors({ maxBodyBytes: 0 })[0]?.path).toBe("maxBodyBytes");
  expect(errors({ onLargeBody: "drop" })[0]?.path).toBe("onLargeBody");
});
