import { type AdminApiHarness, startAdminApi } from "@gatehouse/admin-api/test-support";
import { currentRevision } from "@gatehouse/db";
import { parseRateLimitHeaders, rateLimitProblems } from "@gatehouse/policies/test-support/rate-limit-headers";
import { afterAll, beforeAll, expect, test } from "vitest";
import { closeServer, type GatewayProcess, startEcho, startGateway } from "../test-support/servers.ts";

let admin: AdminApiHarness;
let gateway: GatewayProcess;
let echo: Awaited<ReturnType<typeof startEcho>>;

beforeAll(async () => {
  admin = startAdminApi();
  echo = await startEcho();
  gateway = await startGateway(admin.dataDir);
}, 30_000);
afterAll(async () => {
  await gateway?.stop();
  if (echo) await closeServer(echo.server);
  admin?.close();
});

async function makeApi(name: string, policy: { type: string; config: Record<string, unknown> }) {
  const api = await admin.call("POST", "/apis", {
    name,
    upstream: { targets: [{ url: echo.url }] },
    routes: [{ paths: [`/${name}`] }],
  });
  expect(api.status).toBe(201);
  const created = await admin.call("POST", "/policies", { ...policy, apiId: api.json.id });
  expect(created.status, JSON.stringify(created.json)).toBe(201);
  await gateway.waitForRevision(currentRevision(admin.db));
}

async function send(name: string, times: number) {
  const answers: { status: number; headers: Headers }[] = [];
  for (let i = 0; i < times; i++) {
    const res = await fetch(`${gateway.proxyUrl}/${name}/items`);
    await res.arrayBuffer();
    answers.push({ status: res.status, headers: res.headers });
  }
  return answers;
}

test("[RATE-LIMIT] through the gateway every rate-limit header parses as a structured field and agrees with the limits, on 200s and 429s", async () => {
  const limits = { minute: 3, hour: 50 };
  await makeApi("metered", { type: "rate-limit", config: { limits, by: "ip" } });
  const answers = await send("metered", 6);
  expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 429, 429, 429]);
  for (const [i, { status, headers }] of answers.entries()) {
    const parsed = parseRateLimitHeaders(headers);
    expect(parsed.policy?.length, `answer ${i}`).toBe(2);
    expect(parsed.limit?.length, `answer ${i}`).toBe(2);
    expect(Object.keys(parsed.integers).sort()).toEqual(
      [
        "ratelimit-limit",
        "ratelimit-remaining",
        "ratelimit-reset",
        "x-ratelimit-limit-hour",
        "x-ratelimit-limit-minute",
        "x-ratelimit-remaining-hour",
        "x-ratelimit-remaining-minute",
        ...(status === 429 ? ["retry-after"] : []),
      ].sort(),
    );
    expect(rateLimitProblems(parsed, limits, status === 429), `answer ${i}`).toEqual([]);
  }
  expect(answers[0]?.headers.get("ratelimit-policy")).toBe('"minute";q=3;w=60, "hour";q=50;w=3600');
  expect(parseRateLimitHeaders(answers[2]?.headers as Headers).limit?.[0]?.params.r).toBe(0);
});

test("[RATE-LIMIT] responseHeaders: draft only sends RateLimit-Policy and RateLimit, and a 429 its Retry-After", async () => {
  await makeApi("draft-only", {
    type: "rate-limit",
    config: { limits: { minute: 1 }, by: "ip", responseHeaders: ["draft"] },
  });
  const answers = await send("draft-only", 2);
  expect(answers.map((answer) => answer.status)).toEqual([200, 429]);
  for (const { status, headers } of answers) {
    const parsed = parseRateLimitHeaders(headers);
    expect(Object.keys(parsed.integers)).toEqual(status === 429 ? ["retry-after"] : []);
    expect(rateLimitProblems(parsed, { minute: 1 }, status === 429)).toEqual([]);
  }
});

test("[QUOTA] through the gateway the quota headers and Retry-After parse as sf-integers and count down to the refusal", async () => {
  await makeApi("quota", { type: "quota", config: { quota: { day: 2 }, by: "ip" } });
  const answers = await send("quota", 3);
  expect(answers.map((answer) => answer.status)).toEqual([200, 200, 429]);
  const parsed = answers.map(({ headers }) => parseRateLimitHeaders(headers).integers);
  expect(parsed.map((n) => n["x-quota-limit-day"])).toEqual([2, 2, 2]);
  expect(parsed.map((n) => n["x-quota-remaining-day"])).toEqual([1, 0, 0]);
  const retryAfter = parsed[2]?.["retry-after"] as number;
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(86_400);
});
