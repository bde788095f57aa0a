import { expect, test } from "vitest";
import { isHopByHop } from "./hop-by-hop.ts";
import { HTTP_TOKEN, headerName } from "./http-token.ts";

test("a token is one or more tchars: no spaces, separators or non-ASCII", () => {
  for (const good of ["x-api-key", "X-Api-Key", "a", "!#$%&'*+.^_`|~-09"]) expect(HTTP_TOKEN.test(good)).toBe(true);
  for (const bad of ["", "x api", "x:y", "x,y", "(x)", "é", "x\n"]) expect(HTTP_TOKEN.test(bad)).toBe(false);
});

test("a header name is lower-cased; spaces around it are dropped only where asked, and empty only where allowed", () => {
  expect(headerName().parse("X-Tenant")).toBe("x-tenant");
  expect(headerName().safeParse(" X-Tenant").error?.issues[0]?.message).toBe("Not a valid header name");
  expect(headerName({ trim: true }).parse(" X-Tenant ")).toBe("x-tenant");
  expect(headerName().safeParse("").success).toBe(false);
  expect(headerName({ optional: true }).parse("")).toBe("");
});

test("hop-by-hop headers are the connection's own, proxy-* included; end-to-end ones are not", () => {
  for (const name of [
    "connection",
    "keep-alive",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "proxy-authorization",
  ])
    expect(isHopByHop(name)).toBe(true);
  for (const name of ["host", "content-length", "x-proxy", "authorization"]) expect(isHopByHop(name)).toBe(false);
});
