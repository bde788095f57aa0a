import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { NODE_HEADERS } from "@gatehouse/db";
import type { RequestLogEntry } from "@gatehouse/shared";
import { afterEach, describe, expect, test } from "vitest";
import { type AdminApiHarness, startAdminApi } from "../test-support/admin-api-harness.ts";
import { NODE_REQUEST_LOG_SIZE } from "./node-request-logs.ts";

let h: AdminApiHarness;
let gateway: Server | null = null;
afterEach(async () => {
  h.close();
  await new Promise((resolve) => gateway?.close(resolve) ?? resolve(undefined));
  gateway = null;
});

const T0 = Date.parse("2026-12-06T12:00:00Z");

function entry(time: number, requestId: string, fields: Partial<RequestLogEntry> = {}): RequestLogEntry {
  return {
    time,
    method: "GET",
    path: "/orders/1",
    status: 200,
    latencyMs: 2,
    upstreamMs: 1,
    apiId: null,
    routeId: null,
    consumerId: null,
    requestId,
    refusal: null,
    target: "http://127.0.0.1:9",
    sampleRate: 1,
    ...fields,
  };
}

/** The console's own gateway's status port: answers `/requests` with these entries, and keeps the queries it was asked. */
async function startStatusPort(entries: RequestLogEntry[], sampleRate = 1) {
  const queries: URLSearchParams[] = [];
  gateway = createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://status");
    queries.push(url.searchParams);
    response.setHeader("content-type", "application/json");
    response.end(JSON.stringify({ entries, sampleRate }));
  });
  await new Promise<void>((resolve) => gateway?.listen(0, "127.0.0.1", resolve));
  const { port } = gateway.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, queries };
}

async function nodeToken(): Promise<string> {
  const created = await h.call("POST", "/nodes/tokens", { name: "fleet" });
  expect(created.status).toBe(201);
  return created.json.token;
}

function send(token: string, node: { id: string; name: string }, body: unknown) {
  return h.call("POST", "/node/requests", body, {
    authorization: `Bearer ${token}`,
    [NODE_HEADERS.id]: node.id,
    [NODE_HEADERS.name]: node.name,
  });
}

const EU = { id: "node-eu", name: "eu-1" };
const US = { id: "node-us", name: "us-1" };

describe("[NODES] request-log entries", () => {
  test("the request log merges the console's gateway's entries with every node's, newest first, named by node", async () => {
    const status = await startStatusPort([entry(T0 + 3, "req_own_3"), entry(T0 + 1, "req_own_1")], 0.5);
    h = startAdminApi({ gatewayStatusUrl: status.url });
    const token = await nodeToken();
    expect((await send(token, EU, { entries: [entry(T0 + 2, "req_eu_2"), entry(T0 + 4, "req_eu_4")] })).status).toBe(
      204,
    );
    expect((await send(token, US, { entries: [entry(T0 + 5, "req_us_5", { sampleRate: 0.25 })] })).status).toBe(204);

    const log = await h.call("GET", "/analytics/requests");
    expect(log.status).toBe(200);
    expect(
      log.json.entries.map((row: { requestId: string; node: string | null }) => [row.requestId, row.node]),
    ).toEqual([
      ["req_us_5", "us-1"],
      ["req_eu_4", "eu-1"],
      ["req_own_3", null],
      ["req_eu_2", "eu-1"],
      ["req_own_1", null],
    ]);
    expect(log.json).toMatchObject({ sampleRate: 0.25, currentSampleRate: 0.5 });
    const two = await h.call("GET", "/analytics/requests?limit=2");
    expect(two.json.entries.map((row: { requestId: string }) => row.requestId)).toEqual(["req_us_5", "req_eu_4"]);
  });

  test("the filters hold for the nodes' entries as for the gateway's, the consumer by its name", async () => {
    const status = await startStatusPort([]);
    h = startAdminApi({ gatewayStatusUrl: status.url });
    const api = await h.call("POST", "/apis", {
      name: "orders",
      upstream: { targets: [{ url: "http://127.0.0.1:9" }] },
      routes: [{ paths: ["/orders"] }],
    });
    const consumer = await h.call("POST", "/consumers", { name: "acme" });
    const apiId: string = api.json.id;
    const consumerId: string = consumer.json.id;
    const token = await nodeToken();
    await send(token, EU, {
      entries: [
        entry(T0 + 1, "req_match", { apiId, consumerId, status: 429, path: "/orders/7" }),
        entry(T0 + 2, "req_other_api", { consumerId, status: 429, path: "/orders/7" }),
        entry(T0 + 3, "req_other_consumer", { apiId, status: 429, path: "/orders/7" }),
        entry(T0 + 4, "req_other_status", { apiId, consumerId, status: 200, path: "/orders/7" }),
        entry(T0 + 5, "req_other_path", { apiId, consumerId, status: 429, path: "/billing" }),
      ],
    });

    const ids = async (query: string) =>
      (await h.call("GET", `/analytics/requests?${query}`)).json.entries.map(
        (row: { requestId: string }) => row.requestId,
      );
    expect(await ids(`apiId=${apiId}&consumer=acme&status=4xx&path=orders`)).toEqual(["req_match"]);
    expect(await ids(`apiId=${apiId}&consumerId=${consumerId}&status=429&path=/orders/`)).toEqual(["req_match"]);
    expect(await ids("status=2xx")).toEqual(["req_other_status"]);
    const named = (await h.call("GET", "/analytics/requests?path=billing")).json.entries[0];
    expect(named).toMatchObject({ apiName: "orders", consumerName: "acme", node: "eu-1" });
    // The gateway was asked with the same filter, the consumer's name made its id.
    expect(Object.fromEntries(status.queries[0] as URLSearchParams)).toEqual({
      apiId,
      consumerId,
      status: "4xx",
      path: "orders",
      limit: "100",
    });
  });

  test("without the console's gateway the nodes' entries are answered; with neither, 503", async () => {
    h = startAdminApi();
    expect((await h.call("GET", "/analytics/requests")).status).toBe(503);
    const token = await nodeToken();
    await send(token, EU, { entries: [entry(T0, "req_eu", { sampleRate: 0.5 })] });
    const log = await h.call("GET", "/analytics/requests");
    expect(log.status).toBe(200);
    expect(log.json).toMatchObject({ entries: [{ requestId: "req_eu", node: "eu-1" }], currentSampleRate: 0.5 });
  });

  test("the console keeps a node's last entries, as many as a gateway keeps, the oldest going first", async () => {
    h = startAdminApi();
    const token = await nodeToken();
    const batch = (from: number, count: number) =>
      Array.from({ length: count }, (_, i) => entry(T0 + from + i, `req_${from + i}`));
    expect((await send(token, EU, { entries: batch(0, NODE_REQUEST_LOG_SIZE) })).status).toBe(204);
    expect((await send(token, EU, { entries: batch(NODE_REQUEST_LOG_SIZE, 5) })).status).toBe(204);
    const kept = (await h.call("GET", `/analytics/requests?limit=${NODE_REQUEST_LOG_SIZE}`)).json.entries.map(
      (row: { requestId: string }) => row.requestId,
    );
    expect(kept).toHaveLength(NODE_REQUEST_LOG_SIZE);
    expect([kept[0], kept.at(-1)]).toEqual([`req_${NODE_REQUEST_LOG_SIZE + 4}`, "req_5"]);
  });

  test("a batch is checked: a node token, at most a thousand entries, no unknown field", async () => {
    h = startAdminApi();
    const token = await nodeToken();
    const one = { entries: [entry(T0, "req_1")] };
    expect((await send("ghn_nope", EU, one)).status).toBe(401);
    const tooMany = { entries: Array.from({ length: NODE_REQUEST_LOG_SIZE + 1 }, (_, i) => entry(T0, `req_${i}`)) };
    expect((await send(token, EU, tooMany)).json.error.fields[0].path).toBe("entries");
    expect((await send(token, EU, { ...one, extra: 1 })).status).toBe(400);
    expect((await send(token, EU, { entries: [{ ...entry(T0, "req_1"), status: "ok" }] })).status).toBe(400);
  });
});
