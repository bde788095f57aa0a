import { createServer, type Server } from "node:http";
import { type AdminApiHarness, startAdminApi } from "@gatehouse/admin-api/test-support";
import { currentRevision } from "@gatehouse/db";
import { afterAll, beforeAll, expect, test } from "vitest";
import { checkMetrics } from "../test-support/promtool.ts";
import { closeServer, listenLocal, startEcho, startGateway } from "../test-support/servers.ts";

let admin: AdminApiHarness;
let echo: Awaited<ReturnType<typeof startEcho>>;
let failing: Server;
const keys: string[] = [];

/** A port that refused a connection a moment ago: the gateway's 502 path. */
async function deadUrl(): Promise<string> {
  const server = createServer();
  const url = await listenLocal(server);
  await closeServer(server);
  return url;
}

beforeAll(async () => {
  admin = startAdminApi();
  echo = await startEcho();
  failing = createServer((_req, res) => res.writeHead(503, { "content-type": "text/plain" }).end("down"));
  const failingUrl = await listenLocal(failing);
  const api = async (name: string, url: string, policies: { type: string; config?: object }[] = []) => {
    const created = await admin.call("POST", "/apis", {
      name,
      upstream: { targets: [{ url }] },
      routes: [{ paths: [`/${name}`] }],
    });
    expect(created.status, JSON.stringify(created.json)).toBe(201);
    for (const policy of policies) {
      const attached = await admin.call("POST", "/policies", { ...policy, apiId: created.json.id });
      expect(attached.status, JSON.stringify(attached.json)).toBe(201);
    }
  };
  await api("orders", echo.url, [{ type: "key-auth" }, { type: "rate-limit", config: { limits: { minute: 4 } } }]);
  await api("catalog", echo.url);
  await api("flaky", failingUrl);
  await api("gone", await deadUrl());
  const shadow = await admin.call("POST", "/upstreams", { name: "shadow", targets: [{ url: echo.url }] });
  await api("mirrored", echo.url, [{ type: "mirror", config: { upstreamId: shadow.json.id } }]);
  for (const name of ["alice", "bob"]) {
    const consumer = await admin.call("POST", "/consumers", { name });
    const issued = await admin.call("POST", `/consumers/${consumer.json.id}/keys`, {});
    expect(issued.status).toBe(201);
    keys.push(issued.json.key);
  }
}, 30_000);
afterAll(async () => {
  if (echo) await closeServer(echo.server);
  if (failing) await closeServer(failing);
  admin?.close();
});

/** 200s, 401s, 429s, a 404 outside every route, an upstream's 503 and a 502 from a dead target. */
async function sendTraffic(proxyUrl: string): Promise<Map<number, number>> {
  const seen = new Map<number, number>();
  const send = async (path: string, headers: Record<string, string> = {}) => {
    const res = await fetch(`${proxyUrl}${path}`, { headers });
    await res.arrayBuffer();
    seen.set(res.status, (seen.get(res.status) ?? 0) + 1);
  };
  for (const key of keys) for (let i = 0; i < 6; i++) await send("/orders/1", { "x-api-key": key });
  await send("/orders/1");
  await send("/orders/1", { "x-api-key": "not-a-key" });
  for (let i = 0; i < 3; i++) await send("/catalog/items");
  await send("/nowhere");
  await send("/flaky/x");
  await send("/gone/x");
  await send("/mirrored/x");
  return seen;
}

for (const consumerLabels of ["on", "off"]) {
  test(`[METRICS] promtool check metrics finds nothing in /metrics under traffic, consumer labels ${consumerLabels}`, async () => {
    const gateway = await startGateway(admin.dataDir, { GATEHOUSE_METRICS_CONSUMER_LABELS: consumerLabels });
    try {
      await gateway.waitForRevision(currentRevision(admin.db));
      const seen = await sendTraffic(gateway.proxyUrl);
      for (const status of [200, 401, 404, 429, 502, 503])
        expect(seen.get(status), `status ${status}`).toBeGreaterThan(0);

      // The mirror's copy is counted once it is answered, a moment after the client's answer.
      let exposition = "";
      for (let i = 0; i < 100 && !exposition.includes('outcome="sent"'); i++) {
        const scrape = await fetch(`${gateway.statusUrl}/metrics`);
        expect(scrape.status).toBe(200);
        exposition = await scrape.text();
      }
      expect(exposition).toMatch(/^gatehouse_mirror_requests_total\{policy="pol_\w+",outcome="sent"\} 1$/m);
      expect(exposition).toContain('status="429"');
      if (consumerLabels === "on") expect(exposition).toMatch(/consumer_id="con_/);
      else expect(exposition).not.toContain("consumer_id=");

      const series = exposition.split("\n").filter((line) => line !== "" && !line.startsWith("#"));
      // promtool 2.42 does not catch a series written twice; a Prometheus server would refuse the scrape.
      const names = series.map((line) => line.slice(0, line.lastIndexOf(" ")));
      expect(names.filter((name, i) => names.indexOf(name) !== i)).toEqual([]);

      const verdict = await checkMetrics(exposition);
      const families = exposition.match(/^# TYPE /gm)?.length ?? 0;
      console.log(
        `promtool (consumer labels ${consumerLabels}): ${families} families, ${series.length} samples, exit ${verdict.code}${verdict.output ? `:\n${verdict.output}` : ""}`,
      );
      expect(verdict.output).toBe("");
      expect(verdict.code).toBe(0);
    } finally {
      await gateway.stop();
    }
  }, 60_000);
}

test("[METRICS] the promtool check can fail: a counter without _total is reported", async () => {
  const verdict = await checkMetrics("# HELP x_requests Requests.\n# TYPE x_requests counter\nx_requests 1\n");
  expect(verdict.code).not.toBe(0);
  expect(verdict.output).toContain('should have "_total" suffix');
});
