import { createHmac } from "node:crypto";
import { CompactSign, exportSPKI, generateKeyPair, type JWTPayload, SignJWT, UnsecuredJWT } from "jose";
import { expect, test } from "vitest";
import { testContext, testServices } from "../test-context.ts";
import { jwt, NOT_A_CLAIMS_SET } from "./handler.ts";
import { jwtSchema } from "./schema.ts";

const now = Date.parse("2026-11-22T12:00:00Z");
const seconds = now / 1000;
const acme = { id: "consumer_1", name: "acme", groups: [], plan: null };
const globex = { id: "consumer_2", name: "globex", groups: [], plan: null };
const secret = "a-shared-secret-of-at-least-32-characters";
const secretBytes = new TextEncoder().encode(secret);
const rsa = await generateKeyPair("RS256", { extractable: true });
const rsaPem = await exportSPKI(rsa.publicKey);
const ec = await generateKeyPair("ES256", { extractable: true });

const sign = (claims: JWTPayload, alg = "HS256", key: CryptoKey | Uint8Array = secretBytes) =>
  new SignJWT({ sub: acme.id, iat: seconds, exp: seconds + 60, ...claims }).setProtectedHeader({ alg }).sign(key);

function setup(config: Record<string, unknown> = {}) {
  const services = testServices({}, [acme, globex]);
  const handler = jwt.create(
    jwtSchema.config.parse({ algorithms: ["HS256"], secret, ...config }),
    services,
    "policy_1",
  );
  const call = async (token: string | undefined, headers: Record<string, string> = {}) => {
    const ctx = testContext({ now, headers: token === undefined ? headers : { authorization: `Bearer ${token}` } });
    return { verdict: await handler.handle(ctx), ctx };
  };
  return { call, services };
}

test("a good HS256 token names the consumer upstream and is forwarded as it came", async () => {
  const { verdict, ctx } = await setup().call(await sign({}));
  expect(verdict).toBeUndefined();
  expect(ctx.consumer).toEqual(acme);
  expect(ctx.upstreamHeaders).toEqual({ "x-consumer-id": "consumer_1", "x-consumer-name": "acme" });
  expect(ctx.stripHeaders).toEqual([]);
});

test("a missing token is answered at once with a challenge", () => {
  const handler = jwt.create(jwtSchema.config.parse({ algorithms: ["HS256"], secret }), testServices(), "policy_1");
  const verdict = handler.handle(testContext({ now, headers: { authorization: "Basic dXNlcjpwYXNz" } }));
  expect(verdict).toEqual({
    kind: "reject",
    code: "token_missing",
    message: "This API needs a token (the authorization header)",
    headers: { "www-authenticate": 'Bearer realm="gatehouse"' },
  });
});

test("only the configured algorithms are accepted, never none and never an HS token against an RSA key", async () => {
  const hs = setup();
  expect((await hs.call(await sign({}, "HS384"))).verdict).toMatchObject({
    code: "token_invalid",
    message: "The token is signed with HS384, which this API does not accept",
  });
  expect((await hs.call(await sign({}, "RS256", rsa.privateKey))).verdict).toMatchObject({
    code: "token_invalid",
    message: "The token is signed with RS256, which this API does not accept",
  });
  const unsigned = new UnsecuredJWT({ sub: acme.id, exp: seconds + 60 }).encode();
  expect((await hs.call(unsigned)).verdict).toMatchObject({
    code: "token_invalid",
    message: "The token is unsigned (alg none), which is never accepted",
  });

  // The classic confusion: an HS256 token "signed" with the public key, which is no secret.
  const rs = setup({ algorithms: ["RS256"], secret: "", publicKey: rsaPem });
  expect((await rs.call(await sign({}, "RS256", rsa.privateKey))).verdict).toBeUndefined();
  const forged = await sign({}, "HS256", new TextEncoder().encode(rsaPem));
  expect((await rs.call(forged)).verdict).toMatchObject({ code: "token_invalid", message: /HS256/ });
});

test("an expired token gets its own code; the clock skew admits one that just expired", async () => {
  const justExpired = await sign({ exp: seconds - 10 });
  expect((await setup().call(justExpired)).verdict).toBeUndefined();
  expect((await setup({ clockSkewSeconds: 0 }).call(justExpired)).verdict).toMatchObject({
    code: "token_expired",
    message: "The token has expired",
    headers: { "www-authenticate": 'Bearer realm="gatehouse", error="invalid_token"' },
  });
  expect((await setup().call(await sign({ exp: seconds - 31 }))).verdict).toMatchObject({ code: "token_expired" });
});

test("a bad signature, a future nbf and a malformed token each say what is wrong", async () => {
  const { call } = setup();
  const other = await sign({}, "HS256", new TextEncoder().encode("another-secret-that-is-long-enough-too"));
  expect((await call(other)).verdict).toMatchObject({
    code: "token_invalid",
    message: "The token's signature is not valid",
  });
  const [header, , signature] = (await sign({})).split(".");
  const tampered = `${header}.${Buffer.from(JSON.stringify({ sub: globex.id })).toString("base64url")}.${signature}`;
  expect((await call(tampered)).verdict).toMatchObject({ message: "The token's signature is not valid" });
  expect((await call(await sign({ nbf: seconds + 120 }))).verdict).toMatchObject({
    code: "token_invalid",
    message: "The token is not valid yet (nbf)",
  });
  expect((await call("not.a.token")).verdict).toMatchObject({ code: "token_invalid" });
  expect((await call("garbage")).verdict).toMatchObject({ message: "The token is malformed" });
  const signedText = await new CompactSign(new TextEncoder().encode("foo"))
    .setProtectedHeader({ alg: "HS256" })
    .sign(secretBytes);
  expect((await call(signedText)).verdict).toMatchObject({ code: "token_invalid", message: NOT_A_CLAIMS_SET });
});

test("a token has one spelling: padding, stray characters and non-zero unused bits are malformed", async () => {
  const { call } = setup();
  const token = await sign({});
  expect((await call(token)).verdict).toBeUndefined();
  const [header, payload, signature] = token.split(".") as [string, string, string];
  // A 32-byte MAC is 43 characters: the last one carries 2 unused bits a lenient decoder ignores.
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  const last = alphabet.indexOf(signature.at(-1) as string);
  const respelt = `${signature.slice(0, -1)}${alphabet[last ^ 1]}`;
  expect(Buffer.from(respelt, "base64url")).toEqual(Buffer.from(signature, "base64url"));
  for (const variant of [
    `${header}.${payload}.${respelt}`,
    `${header}.${payload}.${signature}=`,
    `${header}.${payload}?.${signature}`,
  ]) {
    expect((await call(variant)).verdict).toMatchObject({ code: "token_invalid", message: "The token is malformed" });
  }
});

test("a base64 secret is a binary key: a token signed with its bytes passes, one signed with its text does not", async () => {
  const key = Uint8Array.from({ length: 32 }, (_, i) => (i * 37 + 200) % 256);
  const { call } = setup({ secret: Buffer.from(key).toString("base64url"), secretEncoding: "base64" });
  expect((await call(await sign({}, "HS256", key))).verdict).toBeUndefined();
  const asText = new TextEncoder().encode(Buffer.from(key).toString("base64url"));
  expect((await call(await sign({}, "HS256", asText))).verdict).toMatchObject({
    message: "The token's signature is not valid",
  });
  const standard = setup({ secret: Buffer.from(key).toString("base64"), secretEncoding: "base64" });
  expect((await standard.call(await sign({}, "HS256", key))).verdict).toBeUndefined();
});

test("issuer and audience must match one of the configured values", async () => {
  const { call } = setup({ issuer: ["https://id.example.com"], audience: ["orders", "billing"] });
  const good = { iss: "https://id.example.com", aud: "billing" };
  expect((await call(await sign(good))).verdict).toBeUndefined();
  expect((await call(await sign({ ...good, iss: "https://evil.example.com" }))).verdict).toMatchObject({
    code: "token_invalid",
    message: "The token's issuer (iss) is not accepted",
  });
  expect((await call(await sign({ ...good, aud: ["shipping"] }))).verdict).toMatchObject({
    message: "The token's audience (aud) is not accepted",
  });
  expect((await call(await sign({ iss: good.iss }))).verdict).toMatchObject({
    message: 'The token has no "aud" claim',
  });
});

test("the consumer claim names a consumer by id, then by name; an unknown one is refused unless allowed", async () => {
  const { call } = setup();
  expect((await call(await sign({ sub: "consumer_2" }))).ctx.consumer).toEqual(globex);
  expect((await call(await sign({ sub: "globex" }))).ctx.consumer).toEqual(globex);
  expect((await call(await sign({ sub: "nobody" }))).verdict).toMatchObject({
    code: "token_invalid",
    message: 'The token\'s "sub" claim names no known consumer',
  });
  expect((await call(await sign({ sub: undefined }))).verdict).toMatchObject({
    message: 'The token has no "sub" claim naming a consumer',
  });
  const byClient = await setup({ consumerClaim: "client_id" }).call(await sign({ sub: "x", client_id: "acme" }));
  expect(byClient.ctx.consumer).toEqual(acme);

  const anonymous = await setup({ requireConsumer: false }).call(await sign({ sub: "nobody" }));
  expect(anonymous.verdict).toBeUndefined();
  expect(anonymous.ctx.consumer).toBeNull();
  expect(anonymous.ctx.upstreamHeaders).toEqual({});
  expect(anonymous.ctx.stripHeaders).toEqual(["x-consumer-id", "x-consumer-name"]);
});

test("forwarded claims become upstream headers; an absent one removes what the client sent", async () => {
  const forwardClaims = {
    email: "x-user-email",
    admin: "x-user-admin",
    level: "x-user-level",
    roles: "x-user-roles",
    city: "x-user-city",
    team: "x-user-team",
    constructor: "x-user-constructor",
  };
  const claims = { email: "a@acme.test", admin: false, level: 3, roles: ["read", "write"], city: "Zürich" };
  const { verdict, ctx } = await setup({ forwardClaims }).call(await sign(claims));
  expect(verdict).toBeUndefined();
  expect(ctx.upstreamHeaders).toMatchObject({
    "x-user-email": "a@acme.test",
    "x-user-admin": "false",
    "x-user-level": "3",
    "x-user-roles": '["read","write"]',
    "x-user-city": "Z%C3%BCrich",
  });
  expect(ctx.stripHeaders).toEqual(["x-user-team", "x-user-constructor"]);
});

test("a custom header or a cookie carries the token; hideCredentials keeps it from the upstream", async () => {
  const token = await sign({});
  const custom = setup({ header: "X-Token", hideCredentials: true });
  const bare = await custom.call(undefined, { "x-token": token });
  expect(bare.verdict).toBeUndefined();
  expect(bare.ctx.stripHeaders).toEqual(["x-token"]);
  expect((await custom.call(undefined, { "x-token": `Bearer ${token}` })).verdict).toBeUndefined();

  const cookie = setup({ cookie: "session", hideCredentials: true });
  const withOthers = await cookie.call(undefined, { cookie: `theme=dark; session=${token}; lang=en` });
  expect(withOthers.verdict).toBeUndefined();
  expect(withOthers.ctx.upstreamHeaders.cookie).toBe("theme=dark; lang=en");
  const alone = await cookie.call(undefined, { cookie: `session=${token}` });
  expect(alone.ctx.stripHeaders).toEqual(["cookie"]);
  expect((await cookie.call(undefined, { cookie: "theme=dark" })).verdict).toMatchObject({
    code: "token_missing",
    message: "This API needs a token (the authorization header or cookie)",
  });
  const kept = await setup({ cookie: "session" }).call(undefined, { cookie: `session=${token}` });
  expect(kept.ctx.stripHeaders).toEqual([]);
  expect(kept.ctx.upstreamHeaders.cookie).toBeUndefined();
});

test("a PEM public key verifies its own algorithm; an unreadable one refuses requests and says why", async () => {
  const ecPem = await exportSPKI(ec.publicKey);
  const { call } = setup({ algorithms: ["ES256"], secret: "", publicKey: ecPem });
  expect((await call(await sign({}, "ES256", ec.privateKey))).verdict).toBeUndefined();

  // Passes the schema's header check but breaks inside the key itself.
  const der = Buffer.from(rsaPem.replace(/-----[A-Z ]+-----|\s/g, ""), "base64");
  der[24] = 0x31;
  const broken = `-----BEGIN PUBLIC KEY-----\n${der.toString("base64")}\n-----END PUBLIC KEY-----`;
  const unusable = setup({ algorithms: ["RS256"], secret: "", publicKey: broken });
  expect((await unusable.call(await sign({}, "RS256", rsa.privateKey))).verdict).toMatchObject({
    code: "gateway_unavailable",
  });
  expect(unusable.services.lines[0]).toMatch(/^jwt policy_1: the public key cannot be read/);
});

test("tokens jose refuses get our words, never jose's", async () => {
  const { call } = setup();
  const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const signed = async (header: Record<string, unknown>, payload: string) => {
    const input = `${b64(header)}.${payload}`;
    return `${input}.${createHmac("sha256", secret).update(input).digest("base64url")}`;
  };
  const tokens = [
    "a.b.c",
    `${b64({ alg: "HS256" })}.${b64({ sub: acme.id })}`,
    await signed({ alg: "HS256" }, b64([1, 2])),
    await signed({ alg: "HS256" }, Buffer.from("not json").toString("base64url")),
    await signed({ alg: "HS256", crit: ["x-ext"], "x-ext": 1 }, b64({ sub: acme.id })),
    await signed({ alg: "HS256", b64: false, crit: ["b64"] }, b64({ sub: acme.id })),
    await sign({ iat: "yesterday" as unknown as number }),
    await sign({ exp: "soon" as unknown as number }),
  ];
  for (const token of tokens) {
    const { verdict } = await call(token);
    expect(verdict, token).toMatchObject({ kind: "reject", code: "token_invalid" });
    const message = verdict?.kind === "reject" ? verdict.message : "";
    expect(message, token).toMatch(/^The token/);
    expect(message, token).not.toMatch(/JWS|JWT|Compact|Header Parameter|must be|ERR_/);
  }
});
