import { expect, test } from "vitest";
import { testContext, testServices } from "../test-context.ts";
import { cors } from "./handler.ts";
import { corsSchema } from "./schema.ts";

const handler = (config: Record<string, unknown> = {}) =>
  cors.create(corsSchema.config.parse(config), testServices(), "p1");
const APP = "https://app.example.com";
const listed = { origins: [APP, "http://localhost:3000"], exposeHeaders: ["X-Request-Id"], credentials: true };
const preflight = (origin: string, extra: Record<string, string> = {}) =>
  testContext({
    method: "OPTIONS",
    headers: { origin, "access-control-request-method": "PUT", ...extra },
  });

test("a preflight from a listed origin is answered at the gateway", () => {
  const ctx = preflight(APP, { "access-control-request-headers": "content-type, x-trace" });
  expect(handler(listed).handle(ctx)).toEqual({
    kind: "respond",
    status: 204,
    headers: {
      vary: "Origin, Access-Control-Request-Headers",
      "access-control-allow-origin": APP,
      "access-control-allow-credentials": "true",
      "access-control-allow-methods": "GET, HEAD, PUT, PATCH, POST, DELETE",
      "access-control-allow-headers": "content-type, x-trace",
      "access-control-max-age": "600",
    },
  });
  expect(ctx.responseHeaders).toEqual({});
});

test("a preflight gets the configured headers and methods when they are set", () => {
  const policy = handler({ methods: ["get", "post"], headers: ["Content-Type"], maxAgeSeconds: 60 });
  expect(policy.handle(preflight("https://any.example", { "access-control-request-headers": "x-other" }))).toEqual({
    kind: "respond",
    status: 204,
    headers: {
      "access-control-allow-origin": "*",
      "access-control-allow-methods": "GET, POST",
      "access-control-allow-headers": "content-type",
      "access-control-max-age": "60",
    },
  });
  const junk = handler().handle(preflight(APP, { "access-control-request-headers": "a\u00ff b" }));
  expect(junk).toMatchObject({ status: 204 });
  expect(junk).not.toHaveProperty("headers.access-control-allow-headers");
});

test("a preflight from an unlisted origin gets 204 without Allow-Origin, so the browser refuses it", () => {
  expect(handler(listed).handle(preflight("https://evil.example"))).toEqual({
    kind: "respond",
    status: 204,
    headers: { vary: "Origin, Access-Control-Request-Headers" },
  });
});

test("an OPTIONS without Access-Control-Request-Method is not a preflight and goes upstream", () => {
  const ctx = testContext({ method: "OPTIONS", headers: { origin: APP } });
  expect(handler(listed).handle(ctx)).toBeUndefined();
  expect(ctx.responseHeaders["access-control-allow-origin"]).toBe(APP);
});

test("an actual request from a listed origin passes with Allow-Origin, credentials and exposed headers", () => {
  const ctx = testContext({ method: "POST", headers: { origin: "http://localhost:3000" } });
  expect(handler(listed).handle(ctx)).toBeUndefined();
  expect(ctx.responseHeaders).toEqual({
    vary: "Origin",
    "access-control-allow-origin": "http://localhost:3000",
    "access-control-allow-credentials": "true",
    "access-control-expose-headers": "x-request-id",
  });
});

test("an unlisted origin or none passes with only Vary: the browser keeps the answer from the page", () => {
  for (const headers of [{ origin: "https://evil.example" }, { origin: "null" }, {}]) {
    const ctx = testContext({ headers });
    expect(handler(listed).handle(ctx)).toBeUndefined();
    expect(ctx.responseHeaders).toEqual({ vary: "Origin" });
  }
});

test("with * every answer is the same, so nothing varies by origin", () => {
  for (const headers of [{ origin: "https://any.example" }, {}]) {
    const ctx = testContext({ headers });
    expect(handler().handle(ctx)).toBeUndefined();
    expect(ctx.responseHeaders).toEqual({ "access-control-allow-origin": "*" });
  }
});

test("the schema fills defaults and names the bad field", () => {
  expect(corsSchema.config.parse({})).toEqual({
    origins: ["*"],
    methods: ["GET", "HEAD", "PUT", "PATCH", "POST", "DELETE"],
    headers: [],
    exposeHeaders: [],
    credentials: false,
    maxAgeSeconds: 600,
  });
  expect(corsSchema.config.parse({ origins: [" HTTPS://App.Example.com ", "capacitor://localhost"] }).origins).toEqual([
    APP,
    "capacitor://localhost",
  ]);
  const errors = (config: Record<string, unknown>) =>
    corsSchema.config.safeParse(config).error?.issues.map((issue) => [issue.path.join("."), issue.message]);
  expect(errors({ credentials: true })).toEqual([["credentials", "Credentials need listed origins, not *"]]);
  expect(errors({ origins: ["*", APP] })).toEqual([["origins", "* already allows every origin: list origins or *"]]);
  expect(errors({ origins: [`${APP}/`] })).toEqual([["origins.0", `Use the origin only: ${APP}`]]);
  expect(errors({ origins: ["https://app.example.com:443"] })).toEqual([["origins.0", `Use the origin only: ${APP}`]]);
  expect(errors({ origins: ["app.example.com"] })).toEqual([
    ["origins.0", "Use an origin such as https://app.example.com, or *"],
  ]);
  expect(errors({ origins: [] })).toEqual([["origins", "List at least one origin, or *"]]);
  expect(errors({ methods: ["GE T"] })).toEqual([["methods.0", "Not a valid HTTP method"]]);
  expect(errors({ headers: ["x y"], exposeHeaders: ["ok", "a:b"] })).toEqual([
    ["headers.0", "Not a valid header name"],
    ["exposeHeaders.1", "Not a valid header name"],
  ]);
  expect(errors({ maxAgeSeconds: 86_401 })?.[0]?.[0]).toBe("maxAgeSeconds");
});
