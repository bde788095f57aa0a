import type { IncomingHttpHeaders, Server } from "node:http";
import type { AddressInfo } from "node:net";
import { type AdminApiHarness, startAdminApi } from "@gatehouse/admin-api/test-support";
import { NODE_PATHS } from "@gatehouse/db";
import { createAdaptorServer } from "@hono/node-server";
import { listenOn } from "../proxy/server.ts";

/** A config stream a node asked for: the revision it asked from, its headers, the answer's status. */
export interface AskedStream {
  revision: string | null;
  headers: IncomingHttpHeaders;
  status: number;
}

/**
 * The console's Admin API (node endpoints included) over a real config.db, on a real port of
 * 127.0.0.1, for data-plane node tests: `down()` takes it away the way a crashed console goes
 * (every connection cut, the port refusing), `up()` brings it back on the same port. It notes
 * each config stream nodes asked for and the names of the events the streams carried.
 */
export async function startConsole(dataDir?: string) {
  const admin: AdminApiHarness = startAdminApi(dataDir === undefined ? {} : { dataDir });
  const streams: AskedStream[] = [];
  const sent: string[] = [];
  const serve = () =>
    createAdaptorServer({ fetch: (request: Request) => noted(admin, request, streams, sent) }) as Server;
  let server = serve();
  const url = await listenOn(server, 0, "127.0.0.1");
  const port = (server.address() as AddressInfo).port;
  let running = true;
  return {
    admin,
    url,
    streams,
    sent,
    async nodeToken(name = "fleet"): Promise<{ id: string; token: string }> {
      const created = await admin.call("POST", "/nodes/tokens", { name });
      if (created.status !== 201) throw new Error(`node token: ${JSON.stringify(created.json)}`);
      return created.json;
    },
    async down(): Promise<void> {
      if (!running) return;
      running = false;
      const closed = new Promise((resolve) => server.close(resolve));
      server.closeAllConnections();
      await closed;
    },
    async up(): Promise<void> {
      if (running) return;
      server = serve();
      await listenOn(server, port, "127.0.0.1");
      running = true;
    },
    async close(): Promise<void> {
      await this.down();
      admin.close();
    },
  };
}

export type RunningConsole = Awaited<ReturnType<typeof startConsole>>;

/** The Admin API's answer, with a config stream's request and events noted on the way through. */
async function noted(admin: AdminApiHarness, request: Request, streams: AskedStream[], sent: string[]) {
  const response = await admin.app.fetch(request);
  const url = new URL(request.url);
  if (url.pathname !== NODE_PATHS.config) return response;
  streams.push({
    revision: url.searchParams.get("revision"),
    headers: Object.fromEntries(request.headers),
    status: response.status,
  });
  if (response.status !== 200 || response.body === null) return response;
  return new Response(response.body.pipeThrough(eventNames(sent)), response);
}

/** Passes a text/event-stream through unchanged, noting each event's name. */
function eventNames(into: string[]): TransformStream<Uint8Array, Uint8Array> {
  const decoder = new TextDecoder();
  let rest = "";
  return new TransformStream({
    transform(chunk, controller) {
      const lines = (rest + decoder.decode(chunk, { stream: true })).split("\n");
      rest = lines.pop() ?? "";
      for (const line of lines) if (line.startsWith("event: ")) into.push(line.slice(7));
      controller.enqueue(chunk);
    },
  });
}
