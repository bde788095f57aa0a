import { type AdminApiHarness, startAdminApi } from "@gatehouse/admin-api/test-support";
import { loadSnapshot, openConfigDb } from "@gatehouse/db";
import { compileConfig } from "../apps/gateway/src/config/compile.ts";
import { HealthRegistry } from "../apps/gateway/src/health/registry.ts";
import { PoolRegistry } from "../apps/gateway/src/proxy/pools.ts";
import { type GatewayProcess, startGateway } from "../apps/gateway/src/test-support/servers.ts";
import { insertFillerKeys } from "./filler-keys.ts";

/** The Admin API takes at most this many routes per API. */
const ROUTES_PER_API = 100;

/** How long a config of this size takes to become live, three ways. */
export interface CompileTimes {
  /** Process spawn to /readyz reporting the seeded revision (Node start-up included). */
  startupMs: number;
  /** Admin API answer to /readyz reporting the new revision, one per change (10 ms poll included). */
  saveToLiveMs: number[];
  /** loadSnapshot (SQLite read) and compileConfig, run in this process on the same config.db. */
  loadMs: number[];
  compileMs: number[];
}

export interface GatehouseTarget {
  url: string;
  /** The TLS port, as https://localhost:PORT; null unless started with `tlsPort`. */
  tlsUrl: string | null;
  pid: number;
  routes: number;
  /** With policies: the key the load sends as `x-api-key`. */
  apiKey: string | null;
  keys: number;
  compile: CompileTimes;
  stop: () => Promise<void>;
}

/** A temp data dir seeded through the Admin API, which stays open until `admin.close()`. */
export interface SeededConfig {
  admin: AdminApiHarness;
  /** The revision once everything is in. */
  revision: number;
  firstApiId: string;
  /** With policies: the key the load sends as `x-api-key`. */
  apiKey: string | null;
}

/**
 * `routes` routes `/apiN/users/:id` (N = 0 … routes-1) in APIs of 100, one upstream; with
 * `policies`, key-auth and a rate limit too high to trigger on every API, one consumer holding
 * the key the load sends, and `keys` keys in all.
 */
export async function seedConfig(
  upstreamUrl: string,
  routes: number,
  options: {
    policies?: boolean;
    keys?: number;
    rateLimit?: Record<string, number>;
    /** One more policy on every API (a cache, a transformer), for what it costs on the hot path. */
    apiPolicy?: { type: string; config: Record<string, unknown> };
    /** PEM chain and key uploaded through POST /certificates, served for its names on the TLS port. */
    certificate?: { cert: string; key: string };
  } = {},
): Promise<SeededConfig> {
  const admin = startAdminApi();
  try {
    let upstreamId: string | null = null;
    let firstApiId = "";
    for (let first = 0; first < routes; first += ROUTES_PER_API) {
      const count = Math.min(ROUTES_PER_API, routes - first);
      const created = await admin.call("POST", "/apis", {
        name: `Bench ${first / ROUTES_PER_API}`,
        ...(upstreamId ? { upstreamId } : { upstream: { targets: [{ url: upstreamUrl }] } }),
        routes: Array.from({ length: count }, (_, i) => ({ paths: [`/api${first + i}/users/:id`] })),
      });
      if (created.status !== 201) throw new Error(`seeding failed: ${JSON.stringify(created.json)}`);
      upstreamId ??= created.json.upstreamId as string;
      firstApiId ||= created.json.id as string;
    }
    const apiKey = options.policies ? await seedPolicies(admin, options.keys ?? 1, options.rateLimit) : null;
    if (options.apiPolicy) {
      const apis = await admin.call("GET", "/apis?limit=200");
      for (const api of apis.json.data as { id: string }[]) {
        const added = await admin.call("POST", "/policies", { ...options.apiPolicy, apiId: api.id });
        if (added.status !== 201)
          throw new Error(`seeding ${options.apiPolicy.type} failed: ${JSON.stringify(added.json)}`);
      }
    }
    if (options.certificate) {
      const uploaded = await admin.call("POST", "/certificates", options.certificate);
      if (uploaded.status !== 201) throw new Error(`certificate upload failed: ${JSON.stringify(uploaded.json)}`);
    }
    return { admin, revision: await revision(admin), firstApiId, apiKey };
  } catch (error) {
    admin.close();
    throw error;
  }
}

/** The real gateway process over a config from `seedConfig`. */
export async function startGatehouse(
  upstreamUrl: string,
  routes: number,
  options: {
    reloads: number;
    cpuProfDir: string | null;
    label: string;
    policies?: boolean;
    keys?: number;
    /** GATEHOUSE_ANALYTICS=off: the same gateway without rollups, request log or traffic metrics. */
    analyticsOff?: boolean;
    /** With policies: the rate limit's windows, instead of one no load reaches. */
    rateLimit?: Record<string, number>;
    /** Passed as GATEHOUSE_WORKERS, the number of proxy threads. */
    workers?: number;
    apiPolicy?: { type: string; config: Record<string, unknown> };
    /** Passed as GATEHOUSE_PROXY_TLS_PORT (off when not given). */
    tlsPort?: number;
    certificate?: { cert: string; key: string };
  },
): Promise<GatehouseTarget> {
  const { admin, revision: seeded, firstApiId, apiKey } = await seedConfig(upstreamUrl, routes, options);
  let gateway: GatewayProcess | null = null;
  try {
    const env: Record<string, string> = options.analyticsOff ? { GATEHOUSE_ANALYTICS: "off" } : {};
    if (options.workers !== undefined) env.GATEHOUSE_WORKERS = String(options.workers);
    if (options.tlsPort !== undefined) env.GATEHOUSE_PROXY_TLS_PORT = String(options.tlsPort);
    if (options.cpuProfDir) {
      env.NODE_OPTIONS = `--cpu-prof --cpu-prof-dir=${options.cpuProfDir} --cpu-prof-name=gatehouse-${options.label}.cpuprofile`;
    }
    const t0 = performance.now();
    gateway = await startGateway(admin.dataDir, env);
    await waitLive(gateway, seeded);
    const startupMs = performance.now() - t0;

    const saveToLiveMs: number[] = [];
    for (let i = 0; i < options.reloads; i++) {
      const saved = await admin.call("PATCH", `/apis/${firstApiId}`, { description: `reload ${i}` });
      const t = performance.now();
      await waitLive(gateway, Number(saved.headers.get("gatehouse-revision") ?? (await revision(admin))));
      saveToLiveMs.push(performance.now() - t);
    }

    const { loadMs, compileMs } = await compileInProcess(admin.dataDir, options.reloads);
    const live = gateway;
    return {
      url: live.proxyUrl,
      // The name the bench's certificates are for, so clients send it as SNI.
      tlsUrl: live.tlsUrl === null ? null : `https://localhost:${new URL(live.tlsUrl).port}`,
      pid: live.child.pid as number,
      routes,
      apiKey,
      keys: options.policies ? (options.keys ?? 1) : 0,
      compile: { startupMs, saveToLiveMs, loadMs, compileMs },
      async stop() {
        await live.stop();
        admin.close();
      },
    };
  } catch (error) {
    await gateway?.stop();
    admin.close();
    throw error;
  }
}

/** key-auth and a rate limit (by default one no load reaches), globally; returns the key the load sends. */
async function seedPolicies(
  admin: AdminApiHarness,
  keys: number,
  limits: Record<string, number> = { second: 1_000_000_000 },
): Promise<string> {
  for (const policy of [{ type: "key-auth" }, { type: "rate-limit", config: { limits } }]) {
    const created = await admin.call("POST", "/policies", policy);
    if (created.status !== 201) throw new Error(`policy seeding failed: ${JSON.stringify(created.json)}`);
  }
  const consumer = (await admin.call("POST", "/consumers", { name: "bench" })).json;
  const issued = await admin.call("POST", `/consumers/${consumer.id}/keys`, { name: "load" });
  if (issued.status !== 201) throw new Error(`key seeding failed: ${JSON.stringify(issued.json)}`);
  insertFillerKeys(admin.db.$client, consumer.id, keys - 1);
  // One more write so the gateway's first revision already has every key.
  await admin.call("PATCH", `/consumers/${consumer.id}`, { metadata: { keys } });
  return issued.json.key as string;
}

async function revision(admin: AdminApiHarness): Promise<number> {
  return Number((await admin.call("GET", "/revision")).json.revision);
}

/** Polls /readyz back to back; the status port answers between compiles, so this sees the swap promptly. */
export async function waitLive(gateway: GatewayProcess, revision: number, timeoutMs = 60_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const { body } = await gateway.readyz().catch(() => ({ body: {} as Record<string, unknown> }));
    if (typeof body.revision === "number" && body.revision >= revision) return;
    if (performance.now() > deadline) throw new Error(`revision ${revision} not live: ${JSON.stringify(body)}`);
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

/** The gateway's own load and compile functions, timed apart, on a read-only connection. */
async function compileInProcess(dataDir: string, runs: number): Promise<{ loadMs: number[]; compileMs: number[] }> {
  const db = openConfigDb(dataDir, { readonly: true });
  const pools = new PoolRegistry();
  const health = new HealthRegistry({ log: () => {} });
  const loadMs: number[] = [];
  const compileMs: number[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      const snapshot = loadSnapshot(db);
      const t1 = performance.now();
      compileConfig(snapshot, pools, health);
      compileMs.push(performance.now() - t1);
      loadMs.push(t1 - t0);
    }
  } finally {
    db.$client.close();
    await pools.close();
    await health.close();
  }
  return { loadMs, compileMs };
}
