import { loadSnapshot } from "@gatehouse/db";
import { upstreamTlsSchema } from "@gatehouse/shared";
import { afterEach, beforeEach, expect, test } from "vitest";
import { compileConfig } from "../config/compile.ts";
import { HealthRegistry } from "../health/registry.ts";
import { PoolRegistry } from "../proxy/pools.ts";
import { TestConfigDb } from "../test-support/config-db.ts";
import { compilePoolTls } from "./compile-pool-tls.ts";

let config: TestConfigDb;
let pools: PoolRegistry;
let health: HealthRegistry;
beforeEach(() => {
  config = new TestConfigDb();
  pools = new PoolRegistry();
  health = new HealthRegistry({ log: () => {} });
});
afterEach(async () => {
  await health.close();
  await pools.close();
  config.remove();
});

test("[UPSTREAM-TLS] verification is stated on every pool; the settings map to tls.connect's options and key the pool", () => {
  const verified = compilePoolTls(upstreamTlsSchema.parse({}));
  expect(verified.options).toEqual({ rejectUnauthorized: true });
  expect(compilePoolTls(upstreamTlsSchema.parse({ skipVerify: true })).options).toEqual({ rejectUnauthorized: false });
  const full = compilePoolTls({
    caBundle: "CA",
    serverName: "api.internal",
    clientCertificate: "CERT",
    clientKey: "KEY",
    skipVerify: false,
  });
  expect(full.options).toEqual({
    rejectUnauthorized: true,
    ca: "CA",
    servername: "api.internal",
    cert: "CERT",
    key: "KEY",
  });
  expect(compilePoolTls(upstreamTlsSchema.parse({})).digest).toBe(verified.digest);
  expect(
    new Set([verified.digest, full.digest, compilePoolTls({ ...full.options, skipVerify: true }).digest]).size,
  ).toBe(3);
});

test("[UPSTREAM-TLS] a snapshot from before pools had TLS settings compiles, its pools verified", () => {
  const { upstreamId } = config.addUpstream([{ url: "https://127.0.0.1:9443" }]);
  config.addApi(upstreamId, [{ paths: ["/old"] }]);
  const snapshot = loadSnapshot(config.db);
  for (const upstream of snapshot.upstreams) delete (upstream as { tls?: unknown }).tls;
  const runtime = compileConfig(snapshot, pools, health);
  expect(runtime.upstreams[0]?.tls.options).toEqual({ rejectUnauthorized: true });
});
