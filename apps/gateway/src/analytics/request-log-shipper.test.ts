import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { NODE_HEADERS, NODE_PATHS } from "@gatehouse/db";
import type { RequestLogEntry } from "@gatehouse/shared";
import { afterEach, expect, test, vi } from "vitest";
import { RequestLogShipper } from "./request-log-shipper.ts";

const T0 = Date.UTC(2026, 11, 6, 10, 0, 0);

let server: Server | null = null;
let shipper: RequestLogShipper | null = null;
afterEach(async () => {
  await shipper?.stop();
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
});

function entry(time: number, requestId: string): RequestLogEntry {
  return {
    time,
    method: "GET",
    path: `/orders/${requestId}`,
    status: 200,
    latencyMs: 1,
    upstreamMs: 1,
    apiId: null,
    routeId: null,
    consumerId: null,
    requestId,
    refusal: null,
    target: null,
    sampleRate: 1,
  };
}

/** The console's side on a real port: answers `status()` to each POST, and notes every call and its answer. */
async function startConsole(status: () => number) {
  const calls: Array<{ path: string; token: string; node: string; ids: string[]; status: number }> = [];
  const listening = createServer(async (request, response) => {
    let body = "";
    for await (const chunk of request) body += chunk;
    const answer = status();
    calls.push({
      path: request.url ?? "",
      token: request.headers.authorization ?? "",
      node: String(request.headers[NODE_HEADERS.id]),
      ids: (JSON.parse(body) as { entries: RequestLogEntry[] }).entries.map((sent) => sent.requestId).sort(),
      status: answer,
    });
    response.statusCode = answer;
    response.end();
  });
  server = listening;
  await new Promise<void>((resolve) => listening.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(listening.address() as AddressInfo).port}`, calls };
}

/** A node's request log, newest first, as the proxy workers' merged log gives it. */
function startShipper(url: string, log: RequestLogEntry[], lines: string[]) {
  shipper = new RequestLogShipper({
    read: async ({ limit }) => ({ entries: [...log].sort((a, b) => b.time - a.time).slice(0, limit) }),
    console: { url, token: "ghn_test", headers: { [NODE_HEADERS.id]: "node-a" } },
    log: (line) => lines.push(line),
    everyMs: 5,
  });
  shipper.start();
}

test("each entry is sent once, a new one at the millisecond last sent too, and nothing when nothing is new", async () => {
  const controlPlane = await startConsole(() => 204);
  const log = [entry(T0, "a"), entry(T0 + 1, "b")];
  startShipper(controlPlane.url, log, []);
  await vi.waitFor(() => expect(controlPlane.calls).toHaveLength(1));
  log.push(entry(T0 + 1, "c"));
  await vi.waitFor(() => expect(controlPlane.calls).toHaveLength(2));
  log.push(entry(T0 + 2, "d"));
  // Any empty or repeated batch in between would be a call of its own.
  await vi.waitFor(() => expect(controlPlane.calls).toHaveLength(3));
  expect(controlPlane.calls.map((call) => call.ids)).toEqual([["a", "b"], ["c"], ["d"]]);
  expect(controlPlane.calls[0]).toMatchObject({ path: NODE_PATHS.requests, token: "Bearer ghn_test", node: "node-a" });
});

test("what the console refuses is not kept, said once; later entries go when it takes them again", async () => {
  let refusing = true;
  const controlPlane = await startConsole(() => (refusing ? 401 : 204));
  const log = [entry(T0, "a")];
  const lines: string[] = [];
  startShipper(controlPlane.url, log, lines);
  await vi.waitFor(() => expect(controlPlane.calls).toHaveLength(1));
  log.push(entry(T0 + 1, "b"));
  await vi.waitFor(() => expect(controlPlane.calls).toHaveLength(2));
  refusing = false;
  log.push(entry(T0 + 2, "c"));
  await vi.waitFor(() => expect(controlPlane.calls).toHaveLength(3));
  expect(controlPlane.calls.map((call) => [call.ids, call.status])).toEqual([
    [["a"], 401],
    [["b"], 401],
    [["c"], 204],
  ]);
  expect(lines).toEqual([
    expect.stringMatching(/^request log: cannot send entries to the console \(the node token is refused, 401\)/),
    "request log: entries reach the console again",
  ]);
});
