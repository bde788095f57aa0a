/**
 * Soak: a steady request rate through the real gateway for a bounded time, behind key-auth, with
 * config reloads every few seconds and an API key issued and another revoked at each reload
 * (checked: the new key is accepted, the revoked one refused), counting every answer that is
 * not what it should be and sampling the gateway's RSS.
 *
 *   node bench/soak.ts [seconds=600] [requests per second=200]
 *
 * Not run by CI. Writes bench/results/soak.md.
 */
import { readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { apiKeys, apis, consumers, policies, routes, targets } from "@gatehouse/db";
import { generateApiKey } from "@gatehouse/policies/api-key";
import { eq } from "drizzle-orm";
import { Pool } from "undici";
import { TestConfigDb } from "../apps/gateway/src/test-support/config-db.ts";
import { closeServer, startEcho, startGateway } from "../apps/gateway/src/test-support/servers.ts";

const seconds = Number(process.argv[2] ?? 600);
const rate = Number(process.argv[3] ?? 200);
const RELOAD_EVERY_MS = 3_000;
const RSS_EVERY_MS = 10_000;
const TICK_MS = 10;
const MB = 1024 * 1024;

const echoes = [await startEcho(), await startEcho()];
const config = new TestConfigDb();
const gateway = await startGateway(config.dir);
const pid = gateway.child.pid as number;
const client = new Pool(gateway.proxyUrl, { connections: 16 });

const rssBytes = () => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1]) * 1024;

const byStatus = new Map<string, number>();
let sent = 0;
let ok = 0;
let reloads = 0;
let keyChecks = 0;
const rss: number[] = [];

/** Puts a new key in config.db as its own revision, as the Admin API would. */
function addKey(consumerId: string): { id: string; key: string; revision: number } {
  const issued = generateApiKey();
  const id = `key_soak${keyCount++}`;
  const revision = config.change({ type: "api_key", id, action: "create" }, (tx) => {
    tx.insert(apiKeys).values({ id, consumerId, prefix: issued.prefix, hash: issued.hash }).run();
  });
  return { id, key: issued.key, revision };
}
let keyCount = 0;

try {
  const { upstreamId, targetIds } = config.addUpstream([{ url: `${echoes[0]?.url}/a` }]);
  const { apiId, routeIds } = config.addApi(upstreamId, [{ paths: ["/soak"] }]);
  const consumerId = "con_soak";
  config.change({ type: "consumer", id: consumerId, action: "create" }, (tx) => {
    tx.insert(consumers).values({ id: consumerId, name: "soak" }).run();
  });
  config.change({ type: "policy", id: "pol_soak", action: "create" }, (tx) => {
    tx.insert(policies).values({ id: "pol_soak", type: "key-auth", apiId, config: {} }).run();
  });
  const steady = addKey(consumerId);
  let temporary = addKey(consumerId);
  await gateway.waitForRevision(temporary.revision);
  const targetId = targetIds[0] as string;
  const routeId = routeIds[0] as string;

  const count = (key: string) => byStatus.set(key, (byStatus.get(key) ?? 0) + 1);
  const one = async (n: number) => {
    try {
      const post = n % 5 === 0;
      const res = await client.request({
        path: `/soak/item?n=${n}`,
        method: post ? "POST" : "GET",
        body: post ? JSON.stringify({ n }) : undefined,
        headers: post ? { "content-type": "application/json", "x-api-key": steady.key } : { "x-api-key": steady.key },
      });
      await res.body.dump();
      if (res.statusCode === 200) ok++;
      else count(String(res.statusCode));
    } catch (error) {
      count((error as { code?: string }).code ?? (error as Error).name);
    }
  };

  const keyAnswer = async (key: string) => {
    const res = await client.request({ path: "/soak/key-check", method: "GET", headers: { "x-api-key": key } });
    const body = (await res.body.json()) as { error?: { code: string } };
    return res.statusCode === 200 ? "200" : (body.error?.code ?? String(res.statusCode));
  };
  /** Issues a key, revokes the last one, and checks the gateway took both once it serves the revision. */
  const rotateKeys = async () => {
    const revoked = temporary;
    const revokedAt = new Date().toISOString();
    config.change({ type: "api_key", id: revoked.id }, (tx) => {
      tx.update(apiKeys).set({ revokedAt }).where(eq(apiKeys.id, revoked.id)).run();
    });
    temporary = addKey(consumerId);
    await gateway.waitForRevision(temporary.revision);
    keyChecks++;
    const fresh = await keyAnswer(temporary.key);
    if (fresh !== "200") count(`new key ${fresh}`);
    const old = await keyAnswer(revoked.key);
    if (old !== "key_revoked") count(`revoked key ${old}`);
  };
  const keyRotations = new Set<Promise<void>>();

  // A reload changes the target's server and the route's rewrite together; every fifth also adds and removes an API.
  let scratchApi: string | null = null;
  const reload = () => {
    reloads++;
    const echo = echoes[reloads % 2] as { url: string };
    config.change({ type: "route", id: routeId }, (tx) => {
      tx.update(targets)
        .set({ url: `${echo.url}/r${reloads}` })
        .where(eq(targets.id, targetId))
        .run();
      tx.update(routes)
        .set({ rewritePath: `/v${reloads}` })
        .where(eq(routes.id, routeId))
        .run();
    });
    if (reloads % 5 !== 0) return;
    if (scratchApi === null) {
      scratchApi = config.addApi(upstreamId, [{ paths: [`/scratch${reloads}`] }]).apiId;
    } else {
      const id = scratchApi;
      config.change({ type: "api", id, action: "delete" }, (tx) => {
        tx.delete(apis).where(eq(apis.id, id)).run();
      });
      scratchApi = null;
    }
  };

  const started = performance.now();
  const end = started + seconds * 1_000;
  let nextReload = started + RELOAD_EVERY_MS;
  let nextRss = started;
  const inFlight = new Set<Promise<void>>();
  while (performance.now() < end) {
    const now = performance.now();
    // Send what the rate owes by now, so a slow tick is caught up rather than lost.
    const due = Math.floor(((now - started) / 1_000) * rate);
    while (sent < due) {
      const p = one(sent++).finally(() => inFlight.delete(p));
      inFlight.add(p);
    }
    if (now >= nextReload) {
      reload();
      // One rotation at a time: after a stall the loop catches up with reloads a tick apart, and a
      // second rotation would revoke the key the first is still checking (seen as "new key key_revoked").
      if (keyRotations.size === 0) {
        const rotation = rotateKeys()
          .catch((error: Error) => {
            count(`key check ${error.message}`);
          })
          .finally(() => keyRotations.delete(rotation));
        keyRotations.add(rotation);
      }
      nextReload += RELOAD_EVERY_MS;
    }
    if (now >= nextRss) {
      rss.push(rssBytes());
      nextRss += RSS_EVERY_MS;
    }
    await new Promise((resolve) => setTimeout(resolve, TICK_MS));
  }
  await Promise.all(inFlight);
  await Promise.all(keyRotations);
  const rssAfter = rssBytes();
  const elapsed = (performance.now() - started) / 1_000;

  const errors = [...byStatus.values()].reduce((a, b) => a + b, 0);
  const errorList = [...byStatus].map(([key, n]) => `${key}: ${n}`).join(", ") || "none";
  const mb = (bytes: number) => (bytes / MB).toFixed(1);
  // RSS saws up and down with the collector, so first against last sample compares two points of
  // the saw. What a collection leaves is the floor. The heap grows through the first minutes to
  // its first full collection, so the floor of the middle third is compared with the last third's.
  const third = Math.max(1, Math.floor(rss.length / 3));
  const floorMiddle = Math.min(...rss.slice(third, 2 * third));
  const floorLast = Math.min(...rss.slice(-third));
  const floorChange = ((floorLast / floorMiddle - 1) * 100).toFixed(1);
  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, Node ${process.version}, ${os.platform()} ${os.release()}`;
  const report = [
    "# Soak",
    "",
    `${new Date().toISOString()} on ${machine}`,
    "",
    `Command: \`node bench/soak.ts ${seconds} ${rate}\``,
    "",
    `${rate} requests/s (4 GET : 1 POST) through the real gateway behind key-auth for ${elapsed.toFixed(0)} s, a config reload every ${RELOAD_EVERY_MS / 1_000} s (target server and route rewrite changed together; every fifth reload also adds or removes an API), and with each reload one API key revoked and one issued: ${keyChecks} times the new key was accepted and the revoked one refused (401 key_revoked) once the gateway served the revision, or the miss is counted as unexpected.`,
    "",
    "| duration | requests | 200 | unexpected | unexpected by status | reloads | RSS first | RSS last | RSS max | RSS after load |",
    "| -------- | -------- | --- | ---------- | -------------------- | ------- | --------- | -------- | ------- | -------------- |",
    `| ${elapsed.toFixed(0)} s | ${sent} | ${ok} | ${errors} | ${errorList} | ${reloads} | ${mb(rss[0] as number)} MB | ${mb(rss.at(-1) as number)} MB | ${mb(Math.max(...rss))} MB | ${mb(rssAfter)} MB |`,
    "",
    `Lowest RSS in the middle third of the run: ${mb(floorMiddle)} MB; in the last third: ${mb(floorLast)} MB (${Number(floorChange) >= 0 ? "+" : ""}${floorChange}%).`,
    "",
    `RSS of the gateway process every ${RSS_EVERY_MS / 1_000} s under load (MB): ${rss.map(mb).join(", ")}`,
    "",
  ].join("\n");
  console.log(report);
  writeFileSync(path.join(import.meta.dirname, "results", "soak.md"), report);
  process.exitCode = errors === 0 ? 0 : 1;
} finally {
  await client.close();
  await gateway.stop();
  for (const echo of echoes) await closeServer(echo.server);
  config.remove();
}
