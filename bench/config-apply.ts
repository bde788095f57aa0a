/**
 * What a config file costs at fleet size: the time to diff, apply, re-apply, dump and roll back
 * a file of 1,000 APIs (3 routes and 2 policies each, 100 consumers, 5 plans, 10 pools)
 * through the real Admin API on a real SQLite file, the time until a real gateway process
 * serves the applied revision, and the ratio to making the same objects one request at a time.
 * Writes bench/results/config-apply-<date>.md.
 *
 *   node bench/config-apply.ts [--apis 1000] [--repetitions 3]
 */
import { parseArgs } from "node:util";
import { startAdminApi } from "@gatehouse/admin-api/test-support";
import { currentRevision } from "@gatehouse/db";
import { startGatewayProcess } from "../packages/admin-api/src/test-support/gateway-process.ts";
import { writeResult } from "./compare.ts";
import { say } from "./load-options.ts";
import { median } from "./report.ts";

const { values } = parseArgs({
  options: { apis: { type: "string", default: "1000" }, repetitions: { type: "string", default: "3" } },
});
const APIS = Number(values.apis);
const REPETITIONS = Number(values.repetitions);

function configFile(description: string) {
  const pools = Array.from({ length: 10 }, (_, i) => ({
    name: `pool-${i}`,
    targets: [{ url: `http://127.0.0.1:${9100 + i}` }],
  }));
  return {
    version: 1,
    upstreams: pools,
    plans: Array.from({ length: 5 }, (_, i) => ({ name: `plan-${i}`, limits: { minute: 100 * (i + 1) } })),
    consumers: Array.from({ length: 100 }, (_, i) => ({
      name: `consumer-${i}`,
      plan: `plan-${i % 5}`,
      groups: ["bench"],
    })),
    apis: Array.from({ length: APIS }, (_, i) => ({
      name: `api-${i}`,
      description,
      upstream: `pool-${i % 10}`,
      tags: ["bench"],
      routes: [
        { name: "list", paths: [`/api${i}/items`], methods: ["GET"] },
        { name: "one", paths: [`/api${i}/items/:id`], methods: ["GET", "PUT", "DELETE"] },
        {
          name: "create",
          paths: [`/api${i}/items`],
          methods: ["POST"],
          policies: [{ type: "request-size-limit", config: { maxBytes: 65536 } }],
        },
      ],
      policies: [
        { type: "key-auth", config: {} },
        { type: "rate-limit", config: { limits: { minute: 600 } } },
      ],
    })),
    policies: [{ type: "cors", config: { origins: ["https://app.example.com"] } }],
  };
}

type Harness = ReturnType<typeof startAdminApi>;

async function timed<T>(label: string, run: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await run();
  const ms = performance.now() - start;
  say(`${label}: ${ms.toFixed(0)} ms`);
  return { ms, value };
}

async function post(h: Harness, url: string, body: unknown) {
  const answer = await h.call("POST", url, body);
  if (answer.status >= 300) throw new Error(`${url}: ${answer.status} ${answer.text.slice(0, 500)}`);
  return answer.json;
}

/** The same objects, one Admin API request each, as a script without config files would make them. */
async function oneByOne(h: Harness, file: ReturnType<typeof configFile>) {
  const pools = new Map<string, string>();
  for (const pool of file.upstreams) pools.set(pool.name, (await post(h, "/upstreams", pool)).id);
  const plans = new Map<string, string>();
  for (const plan of file.plans) plans.set(plan.name, (await post(h, "/plans", plan)).id);
  for (const { plan, ...consumer } of file.consumers)
    await post(h, "/consumers", { ...consumer, planId: plans.get(plan) });
  for (const { upstream, policies, routes, ...api } of file.apis) {
    const created = await post(h, "/apis", {
      ...api,
      upstreamId: pools.get(upstream),
      routes: routes.map(({ policies: _p, ...route }) => route),
    });
    for (const policy of policies) await post(h, "/policies", { ...policy, apiId: created.id });
    const create = created.routes.find((r: { name: string }) => r.name === "create");
    for (const policy of routes[2]?.policies ?? []) await post(h, "/policies", { ...policy, routeId: create.id });
  }
  for (const policy of file.policies) await post(h, "/policies", policy);
}

const rows: Record<string, number[]> = {};
const record = (label: string, ms: number) => {
  rows[label] ??= [];
  rows[label].push(ms);
};

for (let rep = 0; rep < REPETITIONS; rep++) {
  const h = startAdminApi();
  const gateway = await startGatewayProcess(h.dataDir);
  const file = configFile("v1");
  record("diff, empty instance (dry run)", (await timed("diff", () => post(h, "/config/diff", { config: file }))).ms);
  const applied = await timed("apply", () => post(h, "/config/apply", { config: file }));
  record(`apply ${APIS} APIs on an empty instance`, applied.ms);
  const live = await timed("until the gateway serves it", () => gateway.waitForRevision(applied.value.revision));
  record("then until the gateway serves that revision", live.ms);
  record(
    "apply the same file again (no change)",
    (await timed("re-apply", () => post(h, "/config/apply", { config: file }))).ms,
  );
  const one = configFile("v1");
  (one.apis[0] as { description: string }).description = "v2";
  record("apply with one API changed", (await timed("one change", () => post(h, "/config/apply", { config: one }))).ms);
  record(
    `apply with all ${APIS} APIs changed`,
    (await timed("all changed", () => post(h, "/config/apply", { config: configFile("v3") }))).ms,
  );
  record("dump (GET /config?format=yaml)", (await timed("dump", () => h.call("GET", "/config?format=yaml"))).ms);
  const full = currentRevision(h.db);
  const removed = await timed("rollback to empty", () => post(h, "/revisions/0/rollback", {}));
  record(`rollback to revision 0 (delete ${APIS} APIs)`, removed.ms);
  const restored = await timed("rollback to full", () => post(h, `/revisions/${full}/rollback`, {}));
  record(`rollback to the full config (create ${APIS} APIs)`, restored.ms);
  const served = await timed("until the gateway serves it", () => gateway.waitForRevision(restored.value.revision));
  record("then until the gateway serves the rollback", served.ms);
  await gateway.stop();
  h.close();

  const fresh = startAdminApi();
  record(
    `the same objects one request at a time (${APIS * 3 + 116} requests)`,
    (await timed("one by one", () => oneByOne(fresh, file))).ms,
  );
  fresh.close();
}

const applyMs = median(rows[`apply ${APIS} APIs on an empty instance`] ?? []);
const oneByOneMs = median(rows[`the same objects one request at a time (${APIS * 3 + 116} requests)`] ?? []);
writeResult("config-apply", `Config as code at ${APIS} APIs`, [
  `${REPETITIONS} repetitions, medians. Each API: 3 routes, key-auth and rate-limit on the API, request-size-limit on one route; plus 10 pools, 5 plans, 100 consumers, 1 global policy. Admin API in process (\`app.request\`, JSON bodies), a real SQLite file, a real gateway process (2 workers) polling it.`,
  "",
  "| step | ms |",
  "|---|---|",
  ...Object.entries(rows).map(([label, ms]) => `| ${label} | ${median(ms).toFixed(0)} |`),
  "",
  `One file apply takes ${(applyMs / oneByOneMs).toFixed(3)}× the time of the same objects made one request at a time.`,
]);
