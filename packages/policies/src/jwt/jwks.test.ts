import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair, type JWK, SignJWT } from "jose";
import { expect, test } from "vitest";
import { testContext, testServices } from "../test-context.ts";
import { jwt } from "./handler.ts";
import { jwtSchema } from "./schema.ts";

const t0 = Date.parse("2026-11-22T12:00:00Z");
const at = (secondsLater: number) => t0 + secondsLater * 1000;
const acme = { id: "consumer_1", name: "acme", groups: [], plan: null };

async function signingKey(kid: string) {
  const pair = await generateKeyPair("ES256", { extractable: true });
  const jwk: JWK = { ...(await exportJWK(pair.publicKey)), kid, alg: "ES256", use: "sig" };
  const sign = () =>
    new SignJWT({ sub: acme.id, exp: t0 / 1000 + 3600 })
      .setProtectedHeader({ alg: "ES256", kid })
      .sign(pair.privateKey);
  return { jwk, sign };
}

const keyA = await signingKey("a");
const keyB = await signingKey("b");
const stranger = await signingKey("unknown");

/** A JWKS host on 127.0.0.1 whose keys and status a test changes, counting every fetch. */
async function jwksHost(keys: JWK[]) {
  const host = { keys, status: 200, hits: 0, url: "" };
  const server = createServer((_req, res) => {
    host.hits++;
    res.writeHead(host.status, { "content-type": "application/json" }).end(JSON.stringify({ keys: host.keys }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  host.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`;
  const close = () => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return { host, close };
}

function gateway(url: string) {
  const services = testServices({}, [acme]);
  const create = () =>
    jwt.create(jwtSchema.config.parse({ algorithms: ["ES256"], jwksUrl: url }), services, "policy_jwks");
  let handler = create();
  return {
    services,
    reload: () => {
      handler = create();
    },
    call: async (token: string, now: number) =>
      handler.handle(testContext({ now, headers: { authorization: `Bearer ${token}` } })),
  };
}

test("a rotated key is fetched once when its kid first appears; the set outlives a reload and ages out", async () => {
  const { host, close } = await jwksHost([keyA.jwk]);
  try {
    const { call, reload } = gateway(host.url);
    expect(await call(await keyA.sign(), at(0))).toBeUndefined();
    expect(await call(await keyA.sign(), at(1))).toBeUndefined();
    reload();
    expect(await call(await keyA.sign(), at(2))).toBeUndefined();
    expect(host.hits).toBe(1);

    host.keys = [keyA.jwk, keyB.jwk];
    expect(await call(await keyB.sign(), at(31))).toBeUndefined();
    expect(host.hits).toBe(2);
    expect(await call(await keyB.sign(), at(32))).toBeUndefined();
    expect(host.hits).toBe(2);

    expect(await call(await keyA.sign(), at(31 + 600))).toBeUndefined();
    expect(host.hits).toBe(3);
  } finally {
    await close();
  }
});

test("tokens with unknown kids cause at most one fetch per cooldown, however many arrive", async () => {
  const { host, close } = await jwksHost([keyA.jwk]);
  try {
    const { call } = gateway(host.url);
    expect(await call(await keyA.sign(), at(0))).toBeUndefined();
    const unknown = await stranger.sign();
    const refused = await Promise.all(Array.from({ length: 25 }, () => call(unknown, at(5))));
    expect(new Set(refused.map((verdict) => verdict?.kind === "reject" && verdict.message))).toEqual(
      new Set(["No known signing key matches the token's kid"]),
    );
    expect(host.hits).toBe(1);

    // Past the cooldown: a burst at once, then a trickle, share one fetch.
    await Promise.all(Array.from({ length: 25 }, () => call(unknown, at(60))));
    for (let second = 61; second < 90; second++) await call(unknown, at(second));
    expect(host.hits).toBe(2);

    host.keys = [keyA.jwk, keyB.jwk];
    expect(await call(await keyB.sign(), at(89))).toMatchObject({ code: "token_invalid" });
    expect(await call(await keyB.sign(), at(90))).toBeUndefined();
    expect(host.hits).toBe(3);
  } finally {
    await close();
  }
});

test("a failing JWKS host is not hammered either, and a stale set keeps working meanwhile", async () => {
  const { host, close } = await jwksHost([keyA.jwk]);
  try {
    host.status = 500;
    const { call, services } = gateway(host.url);
    expect(await call(await keyA.sign(), at(0))).toMatchObject({ code: "gateway_unavailable" });
    for (let second = 1; second < 30; second++) await call(await keyA.sign(), at(second));
    expect(host.hits).toBe(1);
    expect(services.lines[0]).toBe(`jwt policy_jwks: fetching the JWKS from ${host.url} failed: status 500`);

    host.status = 200;
    expect(await call(await keyA.sign(), at(30))).toBeUndefined();
    expect(host.hits).toBe(2);

    host.status = 500;
    expect(await call(await keyA.sign(), at(30 + 600))).toBeUndefined();
    expect(await call(await keyA.sign(), at(30 + 601))).toBeUndefined();
    expect(host.hits).toBe(3);
  } finally {
    await close();
  }
});
